/** The counter check as steps the screen calls: read the identifier, look up, judge, save. */
import type { IdResult } from '../../../shared/domain/identifiers';
import { findIdNumberInText, findUsccInText, shieldIdentifier, validateIdNumber, validateUscc } from '../../../shared/domain/identifiers';
import type { CheckRecord, Commitment, Matter, MeasureDecision, SubjectType } from '../../../shared/domain/schemas';
import { DEFAULT_RULES, chinaDate, type RulesConfig } from '../../../shared/domain/rules-config';
import { computeVerdict, type Verdict } from '../../../shared/domain/verdict';
import { feedbackFromCheck } from '../../../shared/domain/feedback';
import type { AppState } from '../../app/AppContext';
import { saveCheck } from '../../db/local-records';
import { counterRecords } from '../../db/mirror';
import type { FastTrackChoice } from './FastTrackPanel';
import { SET_ASIDE_LABEL } from './labels';
import type { PrintableCheck } from './printable';

/**
 * The rules in force on this workstation: the defaults with the local settings applied, and
 * the newest edition of the measure list in the mirror as the one in force (older editions'
 * measures are kept for the record but no longer suggested).
 */
export function rulesOf(app: AppState): RulesConfig {
  const editions = app.measures.map((m) => m.edition).sort();
  return { ...DEFAULT_RULES, mirrorMaxAgeHours: app.settings.mirrorMaxAgeHours, currentEdition: editions.at(-1) };
}

/**
 * Accepts typing, paste and scanner input: the code is found inside pasted text first, then
 * validated by the rules of the subject type the clerk chose (an 18-digit ID number can pass
 * the USCC check by chance, so the type is never guessed).
 */
export function readIdentifier(type: SubjectType, raw: string): IdResult {
  if (type === '自然人') return validateIdNumber(findIdNumberInText(raw) ?? raw);
  return validateUscc(findUsccInText(raw) ?? raw);
}

export interface CheckResult {
  matter: Matter;
  subjectType: SubjectType;
  identifier: string;
  subjectName: string | undefined;
  legacyWarning: string | undefined;
  verdict: Verdict;
  at: number;
}

export async function runCheck(
  app: AppState,
  q: { matter: Matter; subjectType: SubjectType; identifier: string; typedName: string | undefined; legacyWarning: string | undefined },
): Promise<CheckResult> {
  const at = app.now();
  const { records, linked } = await counterRecords(app.db, q.subjectType, q.identifier);
  const verdict = computeVerdict({
    subject: { type: q.subjectType, identifier: q.identifier },
    matter: q.matter,
    department: q.matter.department,
    now: at,
    records,
    linked,
    measures: app.measures,
    commitments: await app.db.commitments.where('identifier').equals(q.identifier).toArray(),
    mirrorAsOf: app.mirror.asOf,
    rules: rulesOf(app),
  });
  // The name on the list is authoritative; the typed one only fills a gap.
  const { typedName, ...rest } = q;
  return { ...rest, subjectName: records.find((r) => r.uscc === q.identifier || r.idNumber === q.identifier)?.subjectName ?? typedName, verdict, at };
}

export interface SavedCheck {
  check: CheckRecord;
  commitment: Commitment | undefined;
  printable: PrintableCheck;
}

/** The 核查记录单 of a check as it is saved: what the clerk saw, frozen. */
export function toPrintable(r: CheckResult, check: CheckRecord): PrintableCheck {
  const decided = new Map(check.decisions.map((d) => [d.measureId, d]));
  return {
    checkId: check.id,
    at: check.createdAt,
    clerk: check.clerk,
    matterName: r.matter.name,
    department: check.department,
    district: check.district,
    subjectName: r.subjectName,
    subjectType: r.subjectType,
    identifier: r.identifier,
    headline: r.verdict.headline,
    mirrorAsOf: check.mirrorAsOf,
    stale: check.stale,
    hits: [...r.verdict.hits, ...r.verdict.linkedHits].map((h) => ({
      id: h.record.id,
      version: h.record.version,
      colour: h.record.colour,
      listType: h.record.listType,
      subjectName: h.record.subjectName,
      via: h.via?.relation,
      reason: h.record.reason,
      deptName: h.record.deptName,
      validFrom: h.record.validFrom,
      validTo: h.record.validTo,
    })),
    setAside: r.verdict.setAside.map((s) => `${s.record.listType}（${SET_ASIDE_LABEL[s.reason]}）`),
    measures: r.verdict.measures.map((s) => ({
      id: s.measure.id,
      title: s.measure.title,
      mandatory: s.measure.mandatory,
      basis: s.measure.basis,
      decision: decided.get(s.measure.id)?.decision,
      reason: decided.get(s.measure.id)?.reason,
    })),
    fastTrack: { eligible: r.verdict.fastTrack.eligible, reason: r.verdict.fastTrack.reason, used: check.fastTrack, greenChannel: check.greenChannel },
  };
}

export async function saveCheckResult(
  app: AppState,
  r: CheckResult,
  decisions: MeasureDecision[],
  choice: FastTrackChoice,
): Promise<SavedCheck> {
  const eligible = r.verdict.fastTrack.eligible;
  const createdAt = app.now();
  const check: CheckRecord = {
    id: crypto.randomUUID(),
    createdAt,
    clerk: app.actor.name,
    department: r.matter.department,
    district: app.settings.district,
    matterId: r.matter.id,
    subjectType: r.subjectType,
    identifier: r.identifier,
    subjectName: r.subjectName,
    headline: r.verdict.headline,
    hits: [...r.verdict.hits, ...r.verdict.linkedHits].map((h) => ({ recordId: h.record.id, version: h.record.version })),
    decisions,
    mirrorAsOf: app.mirror.asOf,
    stale: r.verdict.staleness.stale,
    online: false,
    // Only what the verdict allowed can be recorded, whatever the screen sent.
    fastTrack: eligible && choice.fastTrack,
    greenChannel: eligible && choice.greenChannel,
  };
  const commitment: Commitment | undefined =
    check.fastTrack && choice.deadline
      ? {
          id: crypto.randomUUID(),
          checkId: check.id,
          identifier: r.identifier,
          subjectName: r.subjectName ?? '',
          matterId: r.matter.id,
          missingMaterials: choice.materials,
          deadline: choice.deadline,
          createdAt,
          clerk: check.clerk,
          status: 'open',
        }
      : undefined;
  const printable = toPrintable(r, check);
  await saveCheck(app.db, app.actor, check, feedbackFromCheck(check, r.verdict, r.matter.name), commitment, printable);
  return { check, commitment, printable };
}

/** The fields of the printed 信用承诺书 and 容缺受理通知书. */
export function templateValues(r: CheckResult, s: SavedCheck): Record<string, string> {
  const c = s.commitment;
  return {
    department: r.matter.department,
    subjectName: r.subjectName ?? '（申请人）',
    identifierLabel: r.subjectType === '自然人' ? '公民身份号码' : '统一社会信用代码',
    identifier: shieldIdentifier(r.subjectType, r.identifier),
    matterName: r.matter.name,
    materials: (c?.missingMaterials ?? []).map((m, i) => `${i + 1}. ${m}`).join('\n'),
    deadline: c?.deadline ?? '',
    date: chinaDate(s.check.createdAt),
    noticeNo: `容缺〔${chinaDate(s.check.createdAt).slice(0, 4)}〕${s.check.id.slice(0, 8)}号`,
    fastTrackReason: r.verdict.fastTrack.reason,
    clerk: s.check.clerk,
  };
}
