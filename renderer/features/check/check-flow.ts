/** The counter check as steps the screen calls: read the identifier, look up, judge, save. */
import type { IdResult } from '../../../shared/domain/identifiers';
import { findIdNumberInText, findUsccInText, validateIdNumber, validateUscc } from '../../../shared/domain/identifiers';
import type { CheckRecord, Matter, MeasureDecision, SubjectType } from '../../../shared/domain/schemas';
import { DEFAULT_RULES } from '../../../shared/domain/rules-config';
import { computeVerdict, type Verdict } from '../../../shared/domain/verdict';
import { feedbackFromCheck } from '../../../shared/domain/feedback';
import type { AppState } from '../../app/AppContext';
import { saveCheck } from '../../db/local-records';
import { linkedParties, recordsFor } from '../../db/mirror';

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
  q: { matter: Matter; subjectType: SubjectType; identifier: string; legacyWarning: string | undefined },
): Promise<CheckResult> {
  const at = app.now();
  const records = await recordsFor(app.db, q.identifier);
  const linked = await linkedParties(app.db, q.subjectType, q.identifier, records);
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
    rules: { ...DEFAULT_RULES, mirrorMaxAgeHours: app.settings.mirrorMaxAgeHours },
  });
  return { ...q, subjectName: records[0]?.subjectName, verdict, at };
}

export async function saveCheckResult(app: AppState, r: CheckResult, decisions: MeasureDecision[]): Promise<string> {
  const check: CheckRecord = {
    id: crypto.randomUUID(),
    createdAt: app.now(),
    clerk: app.settings.clerk,
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
    fastTrack: false,
    greenChannel: false,
  };
  await saveCheck(app.db, check, feedbackFromCheck(check, r.verdict));
  return check.id;
}
