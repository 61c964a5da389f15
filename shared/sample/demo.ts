/**
 * Hand-made demo subjects and records with FIXED identifiers, for the demo and end-to-end tests:
 * each entry shows one rule of the counter check. Record dates are relative to `today`, so the
 * demo tells the same story whenever it runs.
 *
 * All names and numbers are fictional. They never collide with generated sample data: demo
 * org-code bodies start with 'MD' (generated ones with 'MA'), demo persons were born 1956–1959
 * (generated ones 1960–1999). The codes carry valid check characters (see demo.test.ts).
 */
import type { IsoDate, ListRecord, Severity, Subject, SubjectType } from '../domain/schemas';
import { addDays, addMonths } from '../domain/rules-config';
import { deptCodeOf } from './generator';
import { listTypeSpec } from './vocabulary';

export interface DemoPerson {
  name: string;
  /** 公民身份号码 */
  idNumber: string;
}

export interface DemoEntry {
  name: string;
  type: SubjectType;
  /** USCC for organisations, ID number for persons */
  identifier: string;
  legalRep?: DemoPerson;
  district: string;
  /** What the entry demonstrates. */
  shows: string;
}

/** 法定代表人 of blackCompany, himself 失信被执行人 (落实到人). */
const QIAN_DECHANG: DemoPerson = { name: '钱德昌', idNumber: '371302195803150173' };

export const DEMO = {
  /**
   * 重大税收违法失信主体 (严重, active) whose legal representative is also listed himself
   * (失信被执行人): checking the company shows the linked person and person-targeted measures
   * such as 限制担任法定代表人 at 企业设立登记.
   */
  blackCompany: {
    name: '临沂恒通达商贸有限公司',
    type: '法人',
    identifier: '91371302MD0B1A0190',
    legalRep: QIAN_DECHANG,
    district: '兰山区',
    shows: '严重失信黑名单；法定代表人本人亦为失信被执行人（落实到人）',
  },
  /** Its only black record expired last month: set aside as 到期, nothing to apply. */
  expiredCompany: {
    name: '临沂瑞丰建材有限公司',
    type: '法人',
    identifier: '91371302MD0B1A027T',
    legalRep: { name: '孙秀兰', idNumber: '371302195707020248' },
    district: '兰山区',
    shows: '黑名单记录上月已到期，不再作为惩戒依据',
  },
  /** Black record under objection (异议 pending): punishment suspended (002 三.2). */
  objectionCompany: {
    name: '临沂鑫源食品有限公司',
    type: '法人',
    identifier: '91371302MD0B1A035M',
    legalRep: { name: '周立新', idNumber: '371302195911200318' },
    district: '兰山区',
    shows: '黑名单记录异议处理中，惩戒措施暂停执行',
  },
  /** 纳税信用A级纳税人, active, nothing bad: red headline, 绿色通道 and 容缺受理 offered. */
  redCompany: {
    name: '临沂诚信泰物流有限公司',
    type: '法人',
    identifier: '91371302MD0B1A043G',
    legalRep: { name: '吴晓梅', idNumber: '371302195605080426' },
    district: '兰山区',
    shows: '守信红名单（纳税信用A级），可适用绿色通道、容缺受理',
  },
  /** On a red list and a black list at once: black wins, the red record is set aside (001 §七). */
  conflictCompany: {
    name: '山东弘远建筑工程有限公司',
    type: '法人',
    identifier: '91371302MD0B1A051B',
    legalRep: { name: '郑国华', idNumber: '371302195809300531' },
    district: '兰山区',
    shows: '同时列入红名单和黑名单：黑名单优先，红名单不予适用',
  },
  /** Black record repaired (信用修复) two months ago: no longer acted on, still within 3 years. */
  repairedCompany: {
    name: '临沂润泽环保科技有限公司',
    type: '法人',
    identifier: '91371302MD0B1A0783',
    legalRep: { name: '冯春生', idNumber: '371302195904250755' },
    district: '兰山区',
    shows: '两个月前已完成信用修复，不再实施惩戒；近三年有不良记录，不适用容缺受理',
  },
  /** Nothing on record: clear headline, 连续三年无不良信用记录 → 容缺受理 offered. */
  cleanCompany: {
    name: '临沂卓晟信息技术有限公司',
    type: '法人',
    identifier: '91371302MD0B1A06X3',
    // Her ID number ends in X: shows that a lower-case x is accepted when typed.
    legalRep: { name: '褚文静', idNumber: '37130219570112066X' },
    district: '兰山区',
    shows: '无任何记录',
  },
  /** 经营异常名录 (watch, active): watch headline, no 容缺受理. */
  watchCompany: {
    name: '临沂博聚木业有限公司',
    type: '法人',
    identifier: '91371302MD0B1A086X',
    legalRep: { name: '蒋玉芬', idNumber: '371302195612030881' },
    district: '兰山区',
    shows: '列入经营异常名录（重点关注）',
  },
  /**
   * 自然人 on 失信被执行人 who is the legal representative of blackCompany: checking him shows
   * his own record and the organisation he represents.
   */
  blackPerson: {
    name: QIAN_DECHANG.name,
    type: '自然人',
    identifier: QIAN_DECHANG.idNumber,
    district: '兰山区',
    shows: '自然人失信被执行人；所代表的组织亦在黑名单',
  },
} as const satisfies Record<string, DemoEntry>;

export type DemoKey = keyof typeof DEMO;

/** The demo entries as Subjects (ids DEMO-<key>), for seeding a mirror. */
export function demoSubjects(): Subject[] {
  return (Object.entries(DEMO) as [DemoKey, DemoEntry][]).map(([key, e]) => ({
    id: `DEMO-${key}`,
    name: e.name,
    type: e.type,
    identifiers: [{ kind: e.type === '自然人' ? 'idNumber' : 'uscc', value: e.identifier }],
    ...(e.legalRep === undefined ? {} : { legalRepresentative: { ...e.legalRep } }),
    district: e.district,
    address: `临沂市${e.district}示例路${Object.keys(DEMO).indexOf(key) + 1}号`,
  }));
}

interface DemoRecordSpec {
  id: string;
  key: DemoKey;
  listType: string;
  severity: Severity;
  /** designation / valid-from date */
  from: IsoDate;
  /** last day of validity */
  to?: IsoDate;
  repairedOn?: IsoDate;
  objection?: ListRecord['objection'];
  reason: string;
}

function toRecord(s: DemoRecordSpec): ListRecord {
  const e: DemoEntry = DEMO[s.key];
  const spec = listTypeSpec(s.listType);
  if (spec === undefined) throw new Error(`demo uses unknown list type ${s.listType}`);
  const person = e.type === '自然人';
  return {
    id: s.id,
    version: 1,
    listType: s.listType,
    colour: spec.colour,
    subjectName: e.name,
    subjectType: e.type,
    ...(person ? { idNumber: e.identifier } : { uscc: e.identifier }),
    otherIds: [],
    ...(e.legalRep === undefined ? {} : { legalRepName: e.legalRep.name, legalRepId: e.legalRep.idNumber }),
    deptName: spec.deptName,
    deptCode: deptCodeOf(spec.deptName),
    basis: spec.basis,
    reason: s.reason,
    designatedOn: s.from,
    validFrom: s.from,
    ...(s.to === undefined ? {} : { validTo: s.to }),
    ...(s.repairedOn === undefined ? {} : { repairedOn: s.repairedOn }),
    severity: s.severity,
    objection: s.objection ?? 'none',
    district: e.district,
  };
}

/** Last day of a period of `months` starting on `from`. */
const until = (from: IsoDate, months: number): IsoDate => addDays(addMonths(from, months), -1);

/** The demo list records as of `today` (ids DEMO-R01 …, version 1). */
export function demoRecords(today: IsoDate): ListRecord[] {
  const ago = (months: number): IsoDate => addMonths(today, -months);
  const specs: DemoRecordSpec[] = [
    {
      id: 'DEMO-R01', key: 'blackCompany', listType: '重大税收违法失信主体', severity: '严重',
      from: ago(8), to: until(ago(8), 36), reason: '虚开增值税专用发票',
    },
    {
      id: 'DEMO-R02', key: 'blackPerson', listType: '失信被执行人', severity: '严重',
      from: ago(5), to: until(ago(5), 24), reason: '有履行能力而拒不履行生效法律文书确定的义务',
    },
    {
      // 12-month period that ended last month.
      id: 'DEMO-R03', key: 'expiredCompany', listType: '环境保护失信企业', severity: '一般',
      from: ago(13), to: until(ago(13), 12), reason: '超标排放污染物被责令限制生产后拒不改正',
    },
    {
      id: 'DEMO-R04', key: 'objectionCompany', listType: '严重违法失信企业', severity: '一般',
      from: ago(2), to: until(ago(2), 12), objection: 'pending', reason: '生产经营不符合食品安全标准的食品，情节严重',
    },
    {
      id: 'DEMO-R05', key: 'redCompany', listType: '纳税信用A级纳税人', severity: '轻微',
      from: ago(3), to: until(ago(3), 12), reason: '年度纳税信用评价指标得分90分以上',
    },
    {
      id: 'DEMO-R06', key: 'conflictCompany', listType: '守信激励对象', severity: '轻微',
      from: ago(10), to: until(ago(10), 36), reason: '获评“厚道临商”诚信示范企业',
    },
    {
      id: 'DEMO-R07', key: 'conflictCompany', listType: '拖欠农民工工资失信主体', severity: '严重',
      from: ago(1), to: until(ago(1), 36), reason: '克扣、无故拖欠农民工工资达到认定拒不支付劳动报酬罪数额标准',
    },
    {
      id: 'DEMO-R08', key: 'repairedCompany', listType: '安全生产失信主体', severity: '一般',
      from: ago(10), to: until(ago(10), 12), repairedOn: ago(2), reason: '拒不执行安全监管监察指令',
    },
    {
      id: 'DEMO-R09', key: 'watchCompany', listType: '经营异常名录', severity: '轻微',
      from: ago(1), to: until(ago(1), 3), reason: '未按照规定期限公示年度报告',
    },
  ];
  return specs.map(toRecord);
}
