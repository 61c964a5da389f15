/**
 * Records a client would push, valid against the sample data the platform is seeded with
 * (matters and measures of resources/sample, DEMO subjects and records). Runs in Node and in the
 * browser (the sync benchmark page makes its outbox with it): ids come from Web Crypto.
 */
import { DEMO } from '../../shared/sample/demo';
import { Prng, hash32 } from '../../shared/sample/prng';
import type { OutboxPayload } from '../../shared/sync/outbox';
import { outboxId } from '../../shared/sync/outbox';
import type { PushItem } from '../../shared/sync/protocol';

const MATTERS = ['SCJG-01', 'SCJG-02', 'ZJ-01', 'SW-01', 'RSJ-01'] as const;
const MEASURES = ['CF-2024-001', 'CF-2024-002', 'JL-2024-001'] as const;
const ORGS = [DEMO.blackCompany, DEMO.redCompany, DEMO.cleanCompany, DEMO.watchCompany];

export function pushItem(payload: OutboxPayload): PushItem {
  return { id: outboxId(payload), payload };
}

/** `n` records of all five kinds, with fresh client-generated ids. */
export function makePushItems(n: number, seed = 1): PushItem[] {
  const rng = new Prng(hash32(seed));
  const at = Date.UTC(2026, 10, 20, 2, 0, 0);
  const items: PushItem[] = [];
  for (let i = 0; i < n; i++) {
    const org = rng.pick(ORGS);
    const matterId = rng.pick(MATTERS);
    const id = globalThis.crypto.randomUUID();
    const common = { clerk: '王小明', department: '市场监督管理局' };
    let payload: OutboxPayload;
    switch (i % 5) {
      case 0:
        payload = {
          kind: 'check',
          record: {
            id, createdAt: at + i, ...common, district: '兰山区', matterId, subjectType: '法人',
            identifier: org.identifier, subjectName: org.name, headline: 'clear', hits: [], decisions: [],
            mirrorAsOf: at, stale: false, online: false, fastTrack: false, greenChannel: false,
          },
        };
        break;
      case 1:
        payload = {
          kind: 'feedback',
          record: {
            id, checkId: globalThis.crypto.randomUUID(), subjectName: org.name, identifier: org.identifier, matterId,
            measureId: rng.pick(MEASURES), type: '已惩戒', result: '已从严审核', basis: '国发〔2016〕33号',
            department: common.department, district: '兰山区', at: at + i, clerk: common.clerk,
          },
        };
        break;
      case 2:
        payload = {
          kind: 'commitment',
          record: {
            id, checkId: globalThis.crypto.randomUUID(), identifier: org.identifier, subjectName: org.name, matterId,
            missingMaterials: ['住所（经营场所）使用证明复印件'], deadline: '2026-12-20', createdAt: at + i,
            clerk: common.clerk, status: 'open',
          },
        };
        break;
      case 3:
        payload = {
          kind: 'objection',
          record: {
            id, recordId: 'DEMO-R01', recordVersion: 1, raisedBy: DEMO.blackCompany.name, disputes: '已补缴税款，申请核实',
            contact: '0539-0000000', attachments: [], createdAt: at + i, clerk: common.clerk,
          },
        };
        break;
      default:
        payload = {
          kind: 'finding',
          record: {
            id, identifier: org.identifier, subjectName: org.name, inspector: '李检查', at: at + i,
            supervisionClass: '一般', findings: '现场检查未发现问题', attachments: [],
          },
        };
    }
    items.push(pushItem(payload));
  }
  return items;
}
