import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  CheckRecord,
  FeedbackRecord,
  ListRecord,
  Matter,
  Measure,
  type MeasureDecision,
  type MeasureInput,
} from './schemas';
import { computeVerdict, type Verdict } from './verdict';
import { feedbackFromCheck, feedbackId } from './feedback';

const NOW = Date.UTC(2026, 10, 20, 2, 0);
const COMPANY = '91350100M000100Y43';

function measure(overrides: Partial<MeasureInput> = {}): Measure {
  return Measure.parse({
    id: 'pun',
    edition: '2024版',
    level: '国家',
    category: '行政性',
    kind: 'punishment',
    title: '从严审核行政许可',
    content: '从严审核',
    basis: '发改财金〔2016〕2798号',
    initiatingDept: '税务局',
    implementingDepts: ['*'],
    mandatory: true,
    matters: ['*'],
    listTypes: ['*'],
    colours: ['black', 'red'],
    ...overrides,
  });
}

const listRecord = (id: string, colour: 'black' | 'red') =>
  ListRecord.parse({
    id,
    version: 3,
    listType: colour === 'black' ? '失信被执行人' : '纳税信用A级纳税人',
    colour,
    subjectName: '某某贸易有限公司',
    subjectType: '法人',
    uscc: COMPANY,
    deptName: '税务局',
    basis: '依据',
    reason: '事由',
    designatedOn: '2026-01-10',
    validFrom: '2026-01-10',
    severity: '严重',
  });

function verdictFor(colour: 'black' | 'red', measures: Measure[]): Verdict {
  return computeVerdict({
    subject: { type: '法人', identifier: COMPANY, name: '某某贸易有限公司' },
    matter: Matter.parse({
      id: 'mat-1',
      name: '食品经营许可',
      department: '市场监督管理局',
      statutoryDays: 20,
      secondaryMaterials: [],
      subjectTypes: ['法人'],
    }),
    department: '市场监督管理局',
    now: NOW,
    records: [listRecord('r1', colour)],
    linked: [],
    measures,
    commitments: [],
    mirrorAsOf: NOW,
  });
}

function check(decisions: MeasureDecision[], overrides: Partial<CheckRecord> = {}): CheckRecord {
  return CheckRecord.parse({
    id: 'chk-1',
    createdAt: NOW,
    clerk: '张三',
    department: '市场监督管理局',
    district: '平桥区',
    matterId: 'mat-1',
    subjectType: '法人',
    identifier: COMPANY,
    subjectName: '某某贸易有限公司',
    headline: 'black',
    hits: [{ recordId: 'r1', version: 3 }],
    decisions,
    mirrorAsOf: NOW,
    stale: false,
    online: true,
    ...overrides,
  });
}

const punishments = [measure({ id: 'pun' }), measure({ id: 'pun2', mandatory: false, basis: '依据二' })];

describe('feedbackFromCheck (执行反馈, 000 §十二, 004 §16)', () => {
  it('an applied punishment is reported as 已惩戒 with the measure\'s basis', () => {
    const v = verdictFor('black', punishments);
    const [fb] = feedbackFromCheck(check([{ measureId: 'pun', decision: '执行' }]), v, '食品经营许可');
    expect(fb).toEqual({
      id: 'chk-1:pun',
      checkId: 'chk-1',
      subjectName: '某某贸易有限公司',
      identifier: COMPANY,
      matterId: 'mat-1',
      measureId: 'pun',
      type: '已惩戒',
      result: '办理「食品经营许可」时已执行「从严审核行政许可」',
      basis: '发改财金〔2016〕2798号',
      department: '市场监督管理局',
      district: '平桥区',
      at: NOW,
      clerk: '张三',
    });
  });

  it('an applied reward is reported as 已激励', () => {
    const v = verdictFor('red', [measure({ id: 'rew', kind: 'reward', title: '优先办理' })]);
    const [fb] = feedbackFromCheck(check([{ measureId: 'rew', decision: '执行' }]), v);
    expect(fb).toMatchObject({ id: 'chk-1:rew', type: '已激励', result: '已执行「优先办理」' });
  });

  it('a measure not applied is reported as 不执行 with the reason', () => {
    const v = verdictFor('black', punishments);
    const decisions: MeasureDecision[] = [
      { measureId: 'pun', decision: '执行' },
      { measureId: 'pun2', decision: '不执行', reason: ' 与本事项无关 ' },
    ];
    const fbs = feedbackFromCheck(check(decisions), v);
    expect(fbs.map((f) => [f.id, f.type, f.reason, f.basis])).toEqual([
      ['chk-1:pun', '已惩戒', undefined, '发改财金〔2016〕2798号'],
      ['chk-1:pun2', '不执行', '与本事项无关', '依据二'],
    ]);
    expect(fbs[1]?.result).toContain('与本事项无关');
  });

  it('one record per measure: a later decision for the same measure replaces an earlier one', () => {
    const v = verdictFor('black', punishments);
    const decisions: MeasureDecision[] = [
      { measureId: 'pun', decision: '不执行', reason: '误选' },
      { measureId: 'pun', decision: '执行' },
    ];
    const fbs = feedbackFromCheck(check(decisions), v);
    expect(fbs.map((f) => [f.id, f.type])).toEqual([['chk-1:pun', '已惩戒']]);
  });

  it('a decision for a measure the verdict did not suggest produces no feedback (002 目录清单)', () => {
    const v = verdictFor('black', punishments);
    expect(feedbackFromCheck(check([{ measureId: 'other', decision: '执行' }]), v)).toEqual([]);
  });

  it('a replay gives the same ids, so the platform never double-counts', () => {
    const v = verdictFor('black', punishments);
    const c = check([
      { measureId: 'pun', decision: '执行' },
      { measureId: 'pun2', decision: '不执行', reason: '理由' },
    ]);
    expect(feedbackFromCheck(c, v)).toEqual(feedbackFromCheck(structuredClone(c), v));
  });

  it('ids are unique per check and measure and always valid, even for long ids', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 128 }),
        fc.string({ minLength: 1, maxLength: 128 }),
        fc.string({ minLength: 1, maxLength: 128 }),
        (checkId, m1, m2) => {
          const a = feedbackId(checkId, m1);
          expect(a.length).toBeLessThanOrEqual(128);
          expect(feedbackId(checkId, m1)).toBe(a);
          if (m1 !== m2) expect(feedbackId(checkId, m2)).not.toBe(a);
        },
      ),
    );
  });

  it('every record parses as a FeedbackRecord', () => {
    const v = verdictFor('black', punishments);
    const longId = 'x'.repeat(128);
    const fbs = feedbackFromCheck(check([{ measureId: 'pun', decision: '执行' }], { id: longId }), v);
    expect(fbs).toHaveLength(1);
    for (const fb of fbs) expect(FeedbackRecord.safeParse(fb).success).toBe(true);
  });
});
