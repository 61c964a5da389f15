/**
 * The data model of 信用核查台: every record that crosses a boundary (IPC, network, files,
 * IndexedDB upgrades) is parsed with one of these schemas. Types are inferred from them, so
 * the schema is the single definition.
 *
 * Dates without a time (designation, validity, deadlines) are `YYYY-MM-DD` strings in China
 * time; moments (when a check was saved) are epoch milliseconds.
 */
import { z } from 'zod';

/** A calendar date `YYYY-MM-DD` that exists (no 2023-02-30). */
export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  .refine((s) => {
    const [y, m, d] = s.split('-').map(Number) as [number, number, number];
    const t = new Date(Date.UTC(y, m - 1, d));
    return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
  }, '日期不存在');
export type IsoDate = z.infer<typeof IsoDate>;

/** Days in month `m` (1–12) of year `y`, Gregorian. */
export function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

export const EpochMs = z.number().int().nonnegative();
const Id = z.string().min(1).max(128);
const Text = z.string().max(4000);
const Name = z.string().min(1).max(200);

// ---------------------------------------------------------------- subjects

export const SubjectType = z.enum(['法人', '非法人组织', '个体工商户', '自然人']);
export type SubjectType = z.infer<typeof SubjectType>;

/** uscc 统一社会信用代码, orgCode 组织机构代码, regNo 工商注册号, taxNo 税务登记号, idNumber 公民身份号码 */
export const IdentifierKind = z.enum(['uscc', 'orgCode', 'regNo', 'taxNo', 'idNumber']);
export type IdentifierKind = z.infer<typeof IdentifierKind>;

export const Identifier = z.object({ kind: IdentifierKind, value: z.string().min(1).max(40) });
export type Identifier = z.infer<typeof Identifier>;

export const Person = z.object({ name: Name, idNumber: z.string().max(40).optional() });
export type Person = z.infer<typeof Person>;

export const Subject = z.object({
  id: Id,
  name: Name,
  type: SubjectType,
  identifiers: z.array(Identifier).min(1),
  legalRepresentative: Person.optional(),
  district: z.string().max(100).optional(),
  address: z.string().max(300).optional(),
  phone: z.string().max(40).optional(),
});
export type Subject = z.infer<typeof Subject>;

// ---------------------------------------------------------------- red / black / watch lists

/** red 守信红名单, black 失信黑名单, watch 重点关注名单 */
export const ListColour = z.enum(['red', 'black', 'watch']);
export type ListColour = z.infer<typeof ListColour>;

export const Severity = z.enum(['轻微', '一般', '严重']);
export type Severity = z.infer<typeof Severity>;

/** 异议: pending suspends punishment on the record (002 三.2); rejected resumes it; upheld voids it. */
export const ObjectionState = z.enum(['none', 'pending', 'rejected', 'upheld']);
export type ObjectionState = z.infer<typeof ObjectionState>;

export const ListRecord = z.object({
  id: Id,
  /** Bumped by the platform on every change; a check stores the version it saw. */
  version: z.number().int().positive(),
  /** The list it belongs to, e.g. 重大税收违法失信主体名单, 纳税信用A级纳税人. */
  listType: z.string().min(1).max(100),
  colour: ListColour,
  subjectName: Name,
  subjectType: SubjectType,
  uscc: z.string().max(18).optional(),
  idNumber: z.string().max(18).optional(),
  otherIds: z.array(Identifier).default([]),
  legalRepName: z.string().max(100).optional(),
  legalRepId: z.string().max(18).optional(),
  /** 认定部门 and its code */
  deptName: z.string().min(1).max(100),
  deptCode: z.string().max(40).default(''),
  /** 认定依据 */
  basis: Text,
  /** 列入事由 */
  reason: Text,
  designatedOn: IsoDate,
  validFrom: IsoDate,
  /** Absent means no end date (长期有效). */
  validTo: IsoDate.optional(),
  removedOn: IsoDate.optional(),
  /** 信用修复 completed on this date: the record is no longer acted on. */
  repairedOn: IsoDate.optional(),
  severity: Severity,
  objection: ObjectionState.default('none'),
  district: z.string().max(100).optional(),
});
export type ListRecord = z.infer<typeof ListRecord>;
export type ListRecordInput = z.input<typeof ListRecord>;

// ---------------------------------------------------------------- measures and matters

/** 行政性 / 市场性 / 行业性 / 社会性 (000 §四–§十) */
export const MeasureCategory = z.enum(['行政性', '市场性', '行业性', '社会性']);
export type MeasureCategory = z.infer<typeof MeasureCategory>;

export const MeasureLevel = z.enum(['国家', '省级', '市级']);
export type MeasureLevel = z.infer<typeof MeasureLevel>;

/** Who a measure reaches: the subject itself, or also its responsible persons (落实到人). */
export const MeasureTarget = z.enum(['subject', 'person', 'both']);
export type MeasureTarget = z.infer<typeof MeasureTarget>;

/** '*' in a list field means "any". */
const AnyOr = z.array(z.string().min(1).max(100)).min(1);

export const Measure = z.object({
  id: Id,
  /** 措施清单 edition, e.g. 2024版; measures from an older edition are not applied. */
  edition: z.string().min(1).max(40),
  level: MeasureLevel,
  category: MeasureCategory,
  /** reward for red lists, punishment for black and watch lists */
  kind: z.enum(['reward', 'punishment']),
  title: z.string().min(1).max(200),
  content: Text,
  basis: Text,
  initiatingDept: z.string().min(1).max(100),
  implementingDepts: AnyOr,
  /** 强制性 (true) must be applied; 推荐性 (false) may be (004 §18). */
  mandatory: z.boolean(),
  /** Matter ids this measure applies to, or ['*']. */
  matters: AnyOr,
  /** List types (ListRecord.listType) that trigger it, or ['*'] for any list of its colour. */
  listTypes: AnyOr,
  colours: z.array(ListColour).min(1),
  /** Only records at or above this severity trigger it (black/watch). */
  minSeverity: Severity.default('轻微'),
  target: MeasureTarget.default('subject'),
});
export type Measure = z.infer<typeof Measure>;
export type MeasureInput = z.input<typeof Measure>;

export const Matter = z.object({
  id: Id,
  /** 审批事项名称 */
  name: z.string().min(1).max(200),
  department: z.string().min(1).max(100),
  /** 法定办结时限 in working days; a fast-track deadline may not be later. */
  statutoryDays: z.number().int().positive().max(365),
  /** 次要材料: what may be missing under 容缺受理. Empty = no fast-track for this matter. */
  secondaryMaterials: z.array(z.string().min(1).max(200)),
  subjectTypes: z.array(SubjectType).min(1),
});
export type Matter = z.infer<typeof Matter>;

// ---------------------------------------------------------------- records the client makes

export const Decision = z.enum(['执行', '不执行']);
export type Decision = z.infer<typeof Decision>;

export const MeasureDecision = z
  .object({
    measureId: Id,
    decision: Decision,
    reason: z.string().max(1000).optional(),
  })
  .refine((d) => d.decision === '执行' || (d.reason?.trim().length ?? 0) > 0, {
    message: '不执行须填写理由',
    path: ['reason'],
  });
export type MeasureDecision = z.infer<typeof MeasureDecision>;

export const RecordRef = z.object({ recordId: Id, version: z.number().int().positive() });
export type RecordRef = z.infer<typeof RecordRef>;

export const Headline = z.enum(['black', 'watch', 'red', 'clear']);
export type Headline = z.infer<typeof Headline>;

/** 留痕: one counter check as it was made (001 §五). */
export const CheckRecord = z.object({
  id: Id,
  createdAt: EpochMs,
  clerk: z.string().min(1).max(100),
  department: z.string().min(1).max(100),
  district: z.string().max(100).default(''),
  matterId: Id,
  subjectType: SubjectType,
  identifier: z.string().min(1).max(40),
  subjectName: z.string().max(200).optional(),
  headline: Headline,
  hits: z.array(RecordRef),
  decisions: z.array(MeasureDecision),
  /** When the mirror was last complete, and whether the verdict called it stale. */
  mirrorAsOf: EpochMs.nullable(),
  stale: z.boolean(),
  online: z.boolean(),
  fastTrack: z.boolean().default(false),
  greenChannel: z.boolean().default(false),
});
export type CheckRecord = z.infer<typeof CheckRecord>;

export const FeedbackType = z.enum(['已惩戒', '已激励', '不执行']);
export type FeedbackType = z.infer<typeof FeedbackType>;

/** 执行反馈: what an implementing department did; `id` is the idempotency key. */
export const FeedbackRecord = z.object({
  id: Id,
  checkId: Id,
  subjectName: z.string().max(200),
  identifier: z.string().min(1).max(40),
  matterId: Id,
  measureId: Id,
  type: FeedbackType,
  reason: z.string().max(1000).optional(),
  result: z.string().max(1000),
  basis: Text,
  department: z.string().min(1).max(100),
  district: z.string().max(100),
  at: EpochMs,
  clerk: z.string().min(1).max(100),
});
export type FeedbackRecord = z.infer<typeof FeedbackRecord>;

export const CommitmentStatus = z.enum(['open', 'supplied', 'breached']);
export type CommitmentStatus = z.infer<typeof CommitmentStatus>;

/** 信用承诺 under 容缺受理: missing secondary materials supplied by a deadline. */
export const Commitment = z.object({
  id: Id,
  checkId: Id,
  identifier: z.string().min(1).max(40),
  subjectName: z.string().max(200),
  matterId: Id,
  missingMaterials: z.array(z.string().min(1).max(200)).min(1),
  deadline: IsoDate,
  createdAt: EpochMs,
  clerk: z.string().min(1).max(100),
  status: CommitmentStatus,
  suppliedAt: EpochMs.optional(),
  breachedAt: EpochMs.optional(),
});
export type Commitment = z.infer<typeof Commitment>;

export const Attachment = z.object({
  name: z.string().min(1).max(200),
  mime: z.string().max(100),
  size: z.number().int().nonnegative(),
});
export type Attachment = z.infer<typeof Attachment>;

/** 异议 raised at the counter against a list record (002 三.2, 004 §20). */
export const Objection = z.object({
  id: Id,
  recordId: Id,
  recordVersion: z.number().int().positive(),
  raisedBy: z.string().min(1).max(100),
  disputes: z.string().min(1).max(2000),
  contact: z.string().max(100),
  attachments: z.array(Attachment).default([]),
  createdAt: EpochMs,
  clerk: z.string().min(1).max(100),
});
export type Objection = z.infer<typeof Objection>;

/** 分类监管 class of a subject (001 §十二, 000 §七). */
export const SupervisionClass = z.enum(['重点监管', '一般', '信用良好']);
export type SupervisionClass = z.infer<typeof SupervisionClass>;

export const InspectionFinding = z.object({
  id: Id,
  identifier: z.string().min(1).max(40),
  subjectName: z.string().max(200),
  inspector: z.string().min(1).max(100),
  at: EpochMs,
  supervisionClass: SupervisionClass,
  findings: z.string().min(1).max(4000),
  attachments: z.array(Attachment).default([]),
  /** 发起: a dishonest behaviour found on site, sent for the platform to decide. */
  initiate: z
    .object({ behaviour: z.string().min(1).max(1000), evidence: z.string().max(2000) })
    .optional(),
});
export type InspectionFinding = z.infer<typeof InspectionFinding>;
