/**
 * The counter verdict (应查必查, 004 §4): from the subject's list records, its linked parties,
 * the measure list and the commitment history, decide what the clerk sees and must act on.
 *
 * One pure function, no clock and no I/O: `now` and the mirror's age are inputs, so the same
 * check gives the same verdict online, offline and when replayed.
 */
import type {
  Commitment,
  Headline,
  ListColour,
  ListRecord,
  Matter,
  Measure,
  MeasureDecision,
  Severity,
  SubjectType,
} from './schemas';
import {
  DEFAULT_RULES,
  addDays,
  addYears,
  chinaDate,
  chinaDateTime,
  type RulesConfig,
} from './rules-config';

export type RecordState = 'active' | SetAsideReason;
export type SetAsideReason =
  | 'expired'
  | 'not_yet_valid'
  | 'removed'
  | 'repaired'
  | 'suspended'
  | 'objection_upheld'
  | 'black_wins';

export interface LinkedParty {
  relation: '法定代表人' | '所代表的组织';
  name: string;
  identifier: string;
  records: ListRecord[];
}

export interface VerdictInput {
  subject: { type: SubjectType; identifier: string; name?: string };
  matter: Matter;
  department: string;
  /** epoch ms; "today" = chinaDate(now) */
  now: number;
  /** records that name the subject's identifier */
  records: ListRecord[];
  /** the legal representative of a company / organisations a person represents, with their records */
  linked: LinkedParty[];
  measures: Measure[];
  /** the subject's commitment history */
  commitments: Commitment[];
  /** when the local mirror was last complete (null = never) */
  mirrorAsOf: number | null;
  /** DEFAULT_RULES when absent */
  rules?: RulesConfig;
}

export interface Via {
  relation: LinkedParty['relation'];
  name: string;
  identifier: string;
}
export interface Hit {
  record: ListRecord;
  via?: Via;
}
export interface SetAside {
  record: ListRecord;
  reason: SetAsideReason;
  explanation: string;
  via?: Via;
}
export interface SuggestedMeasure {
  measure: Measure;
  /** record ids, subject's and linked */
  triggeredBy: string[];
}
export interface FastTrack {
  eligible: boolean;
  basis?: 'red_list' | 'clean_record';
  reason: string;
}
export interface Staleness {
  stale: boolean;
  asOf: number | null;
  ageHours: number | null;
  message?: string;
}
export interface Verdict {
  headline: Headline;
  hits: Hit[];
  linkedHits: Hit[];
  setAside: SetAside[];
  conflict: boolean;
  measures: SuggestedMeasure[];
  fastTrack: FastTrack;
  staleness: Staleness;
  today: string;
}

const COLOUR_LABEL: Record<ListColour, string> = {
  black: '失信黑名单',
  watch: '重点关注名单',
  red: '守信红名单',
};
const COLOUR_RANK: Record<ListColour, number> = { black: 0, watch: 1, red: 2 };
const SEVERITY_RANK: Record<Severity, number> = { 轻微: 0, 一般: 1, 严重: 2 };

// ---------------------------------------------------------------- record state

/**
 * Whether a record is acted on today, before the black-beats-red rule (which needs the other
 * records). The order is the precedence: a void record stays void whatever its dates.
 */
export function recordState(record: ListRecord, today: string): RecordState {
  if (record.objection === 'upheld') return 'objection_upheld';
  // 002 三.1, 004 §19: removed or repaired records are no longer acted on.
  if (record.removedOn !== undefined && record.removedOn <= today) return 'removed';
  if (record.repairedOn !== undefined && record.repairedOn <= today) return 'repaired';
  // validTo is the last day of the period (到期后移出).
  if (record.validTo !== undefined && record.validTo < today) return 'expired';
  if (record.validFrom > today) return 'not_yet_valid';
  // 002 三.2: 异议投诉处理阶段联合惩戒措施暂停执行; 'rejected' falls through to active.
  if (record.objection === 'pending') return 'suspended';
  return 'active';
}

function explain(record: ListRecord, reason: SetAsideReason, blackLists: string[]): string {
  switch (reason) {
    case 'objection_upheld':
      return '异议成立，该记录不再作为奖惩依据';
    case 'removed':
      return `已于 ${record.removedOn} 移出名单`;
    case 'repaired':
      return `已于 ${record.repairedOn} 完成信用修复`;
    case 'expired':
      return `有效期已于 ${record.validTo} 届满`;
    case 'not_yet_valid':
      return `有效期自 ${record.validFrom} 起，尚未生效`;
    case 'suspended':
      return `异议处理期间暂停执行（${record.designatedOn} 认定）`;
    case 'black_wins':
      return `同时列入失信黑名单（${blackLists.join('、')}），红名单不予适用`;
  }
}

// ---------------------------------------------------------------- sorting records of one party

interface Sorted {
  counting: ListRecord[];
  setAside: { record: ListRecord; reason: SetAsideReason; explanation: string }[];
  /** an active black record and an active red record at once */
  conflict: boolean;
}

/** Splits one party's records into counting and set aside, applying black-beats-red (001 §七). */
function sortParty(records: ListRecord[], today: string): Sorted {
  const states = records.map((record) => ({ record, state: recordState(record, today) }));
  const activeBlack = states.filter((s) => s.state === 'active' && s.record.colour === 'black');
  const blackLists = [...new Set(activeBlack.map((s) => s.record.listType))];
  const sorted: Sorted = { counting: [], setAside: [], conflict: false };
  for (const { record, state } of states) {
    const reason: RecordState =
      state === 'active' && record.colour === 'red' && activeBlack.length > 0 ? 'black_wins' : state;
    if (reason === 'active') sorted.counting.push(record);
    else sorted.setAside.push({ record, reason, explanation: explain(record, reason, blackLists) });
    if (reason === 'black_wins') sorted.conflict = true;
  }
  sorted.counting.sort(byColourThenDate);
  return sorted;
}

/** Black first, then watch, then red; newest designation first; then id, for a stable order. */
function byColourThenDate(a: ListRecord, b: ListRecord): number {
  return (
    COLOUR_RANK[a.colour] - COLOUR_RANK[b.colour] ||
    compare(b.designatedOn, a.designatedOn) ||
    compare(a.id, b.id)
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One record per id, the highest version (a mirror may briefly hold two versions). */
function latestVersions(records: ListRecord[]): ListRecord[] {
  const byId = new Map<string, ListRecord>();
  for (const r of records) {
    const seen = byId.get(r.id);
    if (seen === undefined || r.version > seen.version) byId.set(r.id, r);
  }
  return [...byId.values()];
}

// ---------------------------------------------------------------- whose record is it

function norm(id: string): string {
  return id.trim().toUpperCase();
}

function namesAsSubject(record: ListRecord, identifier: string): boolean {
  const ids = [record.uscc, record.idNumber, ...record.otherIds.map((o) => o.value)];
  return ids.some((id) => id !== undefined && norm(id) === identifier);
}

/**
 * A record that names the checked identifier only as 法定代表人 is the organisation's record,
 * not the person's: 落实到人 (000 §十一, 004 §15) shows it as a linked hit, it must not make the
 * person's own headline black. Such records are regrouped as the organisations the person
 * represents; everything else in `records` is trusted to be the subject's own (the caller may
 * have matched it through another identifier of the subject).
 */
function splitOwnRecords(
  records: ListRecord[],
  identifier: string,
): { own: ListRecord[]; represented: LinkedParty[] } {
  const id = norm(identifier);
  const own: ListRecord[] = [];
  const represented = new Map<string, LinkedParty>();
  for (const r of records) {
    const onlyAsLegalRep =
      r.legalRepId !== undefined && norm(r.legalRepId) === id && !namesAsSubject(r, id);
    if (!onlyAsLegalRep) {
      own.push(r);
      continue;
    }
    const orgId = r.uscc ?? r.otherIds[0]?.value ?? r.idNumber ?? '';
    const key = `${orgId}|${r.subjectName}`;
    const party = represented.get(key) ?? {
      relation: '所代表的组织' as const,
      name: r.subjectName,
      identifier: orgId,
      records: [],
    };
    party.records.push(r);
    represented.set(key, party);
  }
  return { own, represented: [...represented.values()] };
}

// ---------------------------------------------------------------- measures

function anyOr(list: readonly string[], value: string): boolean {
  return list.includes('*') || list.includes(value);
}

interface MeasureContext {
  matterId: string;
  department: string;
  edition: string | undefined;
}

/** Whether `measure` applies to a counting record, for the subject itself or via a linked party. */
function measureApplies(
  measure: Measure,
  record: ListRecord,
  ctx: MeasureContext,
  linked: boolean,
): boolean {
  // 002: 不得对目录清单之外 … ; 000 §十七: only the current edition of the list.
  if (ctx.edition !== undefined && measure.edition !== ctx.edition) return false;
  if (!measure.colours.includes(record.colour)) return false;
  if (!anyOr(measure.listTypes, record.listType)) return false;
  if (!anyOr(measure.matters, ctx.matterId)) return false;
  if (!anyOr(measure.implementingDepts, ctx.department)) return false;
  // Severity grades dishonesty only; red records have no meaningful severity.
  if (record.colour !== 'red' && SEVERITY_RANK[record.severity] < SEVERITY_RANK[measure.minSeverity])
    return false;
  // 落实到人 (000 §十一): a linked party's record reaches the checked subject only through
  // measures aimed at persons; the subject's own record only through measures aimed at it.
  return linked ? measure.target !== 'subject' : measure.target !== 'person';
}

function suggestMeasures(
  hits: Hit[],
  linkedHits: Hit[],
  measures: Measure[],
  ctx: MeasureContext,
): SuggestedMeasure[] {
  const byId = new Map<string, SuggestedMeasure>();
  const consider = (hit: Hit, linked: boolean): void => {
    for (const measure of measures) {
      if (!measureApplies(measure, hit.record, ctx, linked)) continue;
      const suggested = byId.get(measure.id) ?? { measure, triggeredBy: [] };
      // First measure with an id wins: the suggestion must name one measure text.
      if (suggested.measure !== measure) continue;
      if (!suggested.triggeredBy.includes(hit.record.id)) suggested.triggeredBy.push(hit.record.id);
      byId.set(measure.id, suggested);
    }
  };
  for (const hit of hits) consider(hit, false);
  for (const hit of linkedHits) consider(hit, true);
  return [...byId.values()].sort(byMeasureOrder);
}

/** 强制性 before 推荐性 (004 §18), punishment before reward, then by id. */
function byMeasureOrder(a: SuggestedMeasure, b: SuggestedMeasure): number {
  return (
    Number(b.measure.mandatory) - Number(a.measure.mandatory) ||
    Number(a.measure.kind === 'reward') - Number(b.measure.kind === 'reward') ||
    compare(a.measure.id, b.measure.id)
  );
}

// ---------------------------------------------------------------- fast-track

function describeRecord(record: ListRecord): string {
  return `${COLOUR_LABEL[record.colour]}「${record.listType}」（${record.designatedOn} 认定）`;
}

function isDishonest(record: ListRecord): boolean {
  return record.colour === 'black' || record.colour === 'watch';
}

/**
 * The last day a record was in force: validTo is inclusive; on the removal or repair date it is
 * already no longer acted on. `undefined` = still open-ended.
 */
function lastDayInForce(record: ListRecord): string | undefined {
  const ends = [
    record.validTo,
    record.removedOn === undefined ? undefined : addDays(record.removedOn, -1),
    record.repairedOn === undefined ? undefined : addDays(record.repairedOn, -1),
  ].filter((d): d is string => d !== undefined);
  return ends.length === 0 ? undefined : ends.reduce((a, b) => (a < b ? a : b));
}

/** Whether a dishonesty record was in force on any day of [from, today]. */
function inForceWithin(record: ListRecord, from: string, today: string): boolean {
  if (record.objection === 'upheld') return false; // void from the start
  const last = lastDayInForce(record) ?? today;
  return record.validFrom <= today && record.validFrom <= last && last >= from;
}

function breachedCommitment(commitments: Commitment[], today: string): Commitment | undefined {
  // An open commitment past its deadline is a breach even before anyone marks it (容缺受理).
  return commitments.find(
    (c) => c.status === 'breached' || (c.status === 'open' && c.deadline < today),
  );
}

/**
 * 容缺受理 / 绿色通道 for 诚信典型 or 连续三年无不良信用记录 (000 §三, 001 §十一, 004 §7);
 * never while dishonesty is active or after a breached commitment (domain.md).
 */
function fastTrackFor(
  input: VerdictInput,
  hits: Hit[],
  linkedHits: Hit[],
  setAside: SetAside[],
  ownRecords: ListRecord[],
  today: string,
  cleanYears: number,
): FastTrack {
  if (input.matter.secondaryMaterials.length === 0)
    return { eligible: false, reason: '该事项未设次要材料，不适用容缺受理' };

  const ownBad = hits.find((h) => isDishonest(h.record));
  if (ownBad)
    return { eligible: false, reason: `存在有效的${describeRecord(ownBad.record)}` };
  const linkedBad = linkedHits.find((h) => isDishonest(h.record));
  if (linkedBad?.via)
    return {
      eligible: false,
      reason: `关联方${linkedBad.via.name}（${linkedBad.via.relation}）存在有效的${describeRecord(linkedBad.record)}`,
    };

  // A dishonesty record under objection suspends punishment (002 三.2), but the subject is
  // still on the list: a reward is not granted until the objection is decided.
  const disputed = setAside.find((s) => !s.via && s.reason === 'suspended' && isDishonest(s.record));
  if (disputed)
    return {
      eligible: false,
      reason: `${describeRecord(disputed.record)}正在异议处理中，处理完毕前不适用容缺受理`,
    };

  const breach = breachedCommitment(input.commitments, today);
  if (breach)
    return {
      eligible: false,
      reason: `曾违背信用承诺（承诺期限 ${breach.deadline}，未按期补齐材料）`,
    };

  const red = hits.find((h) => h.record.colour === 'red');
  if (red)
    return {
      eligible: true,
      basis: 'red_list',
      reason: `列入守信红名单「${red.record.listType}」，可适用绿色通道、容缺受理`,
    };

  const from = addYears(today, -cleanYears);
  const recent = ownRecords
    .filter((r) => isDishonest(r) && inForceWithin(r, from, today))
    .sort((a, b) => compare(lastDayInForce(b) ?? today, lastDayInForce(a) ?? today))[0];
  if (recent)
    return {
      eligible: false,
      reason: `近 ${cleanYears} 年内有不良信用记录：${describeRecord(recent)}，有效期至 ${lastDayInForce(recent) ?? '长期'}`,
    };
  return {
    eligible: true,
    basis: 'clean_record',
    reason: `连续 ${cleanYears} 年无不良信用记录，可适用绿色通道、容缺受理`,
  };
}

// ---------------------------------------------------------------- staleness

/** An offline answer is never presented as current (domain.md, counter check step 6). */
/** Whether a mirror last complete at `mirrorAsOf` may still be presented as current (domain.md, step 6). */
export function stalenessOf(mirrorAsOf: number | null, now: number, maxAgeHours: number): Staleness {
  if (mirrorAsOf === null)
    return {
      stale: true,
      asOf: null,
      ageHours: null,
      message: '本地数据从未同步，核查结果不可作为依据，请联网复核',
    };
  const ageHours = Math.max(0, (now - mirrorAsOf) / 3_600_000);
  const staleness: Staleness = {
    stale: ageHours > maxAgeHours,
    asOf: mirrorAsOf,
    ageHours: Math.round(ageHours * 10) / 10,
  };
  if (staleness.stale) staleness.message = `数据截至 ${chinaDateTime(mirrorAsOf)}，请联网复核`;
  return staleness;
}

// ---------------------------------------------------------------- the verdict

function headlineOf(hits: Hit[]): Headline {
  for (const colour of ['black', 'watch', 'red'] as const)
    if (hits.some((h) => h.record.colour === colour)) return colour;
  return 'clear';
}

export function computeVerdict(input: VerdictInput): Verdict {
  const rules = input.rules ?? DEFAULT_RULES;
  const today = chinaDate(input.now);

  const { own, represented } = splitOwnRecords(latestVersions(input.records), input.subject.identifier);
  const ownSorted = sortParty(own, today);
  const hits: Hit[] = ownSorted.counting.map((record) => ({ record }));
  const setAside: SetAside[] = [...ownSorted.setAside];

  // 落实到人: same set-aside rules for linked parties; a record is shown once, own first.
  const seen = new Set(own.map((r) => r.id));
  const linkedHits: Hit[] = [];
  for (const party of [...input.linked, ...represented]) {
    const via: Via = { relation: party.relation, name: party.name, identifier: party.identifier };
    const fresh = latestVersions(party.records).filter((r) => !seen.has(r.id));
    for (const r of fresh) seen.add(r.id);
    const sorted = sortParty(fresh, today);
    linkedHits.push(...sorted.counting.map((record) => ({ record, via })));
    setAside.push(...sorted.setAside.map((s) => ({ ...s, via })));
  }

  const ctx = { matterId: input.matter.id, department: input.department, edition: rules.currentEdition };
  return {
    headline: headlineOf(hits),
    hits,
    linkedHits,
    setAside,
    conflict: ownSorted.conflict,
    measures: suggestMeasures(hits, linkedHits, input.measures, ctx),
    fastTrack: fastTrackFor(input, hits, linkedHits, setAside, own, today, rules.cleanYears),
    staleness: stalenessOf(input.mirrorAsOf, input.now, rules.mirrorMaxAgeHours),
    today,
  };
}

// ---------------------------------------------------------------- decisions

/**
 * What still blocks the case: every suggested measure needs 执行 or 不执行, and 不执行 needs a
 * reason (domain.md counter check step 3). Decisions for measures not suggested are ignored.
 */
export function missingDecisions(
  verdict: Verdict,
  decisions: MeasureDecision[],
): { measureId: string; problem: string }[] {
  const problems: { measureId: string; problem: string }[] = [];
  for (const { measure } of verdict.measures) {
    const decision = decisions.findLast((d) => d.measureId === measure.id);
    if (decision === undefined)
      problems.push({ measureId: measure.id, problem: `「${measure.title}」尚未选择执行或不执行` });
    else if (decision.decision === '不执行' && (decision.reason ?? '').trim() === '')
      problems.push({ measureId: measure.id, problem: `「${measure.title}」不执行须填写理由` });
  }
  return problems;
}
