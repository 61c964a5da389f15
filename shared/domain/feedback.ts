/**
 * 执行反馈 (000 §十二/§十五, 002 二.2, 004 §16): the implementing department reports back what
 * it did with every suggested measure. The record id is the idempotency key, derived from the
 * check and the measure, so replaying a queue never double-counts.
 */
import { FeedbackRecord, type CheckRecord, type Measure, type MeasureDecision } from './schemas';
import type { Verdict } from './verdict';

const MAX_ID_LENGTH = 128;

/** FNV-1a, 32 bit, as 8 hex digits: a short deterministic digest for over-long keys. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/** `${checkId}:${measureId}`; shortened deterministically if it would exceed the id limit. */
export function feedbackId(checkId: string, measureId: string): string {
  const key = `${checkId}:${measureId}`;
  if (key.length <= MAX_ID_LENGTH) return key;
  const digest = `#${fnv1a(key)}${fnv1a(`${measureId}:${checkId}`)}`;
  return key.slice(0, MAX_ID_LENGTH - digest.length) + digest;
}

function feedbackType(measure: Measure, decision: MeasureDecision): FeedbackRecord['type'] {
  if (decision.decision === '不执行') return '不执行';
  return measure.kind === 'punishment' ? '已惩戒' : '已激励';
}

const MAX_RESULT_LENGTH = 1000;

function resultText(measure: Measure, decision: MeasureDecision, matterName?: string): string {
  const where = matterName ? `办理「${matterName}」时` : '';
  const text =
    decision.decision === '执行'
      ? `${where}已执行「${measure.title}」`
      : `${where}未执行「${measure.title}」：${(decision.reason ?? '').trim()}`;
  return text.slice(0, MAX_RESULT_LENGTH);
}

/** The last decision per measure, in the order the measures were first decided. */
function lastDecisions(decisions: MeasureDecision[]): MeasureDecision[] {
  const byMeasure = new Map<string, MeasureDecision>();
  for (const d of decisions) {
    byMeasure.delete(d.measureId);
    byMeasure.set(d.measureId, d);
  }
  return [...byMeasure.values()];
}

/**
 * One feedback record per decision of a saved check. Decisions for a measure the verdict did not
 * suggest are skipped: no measure may be applied that is not on the list (002 目录清单).
 */
export function feedbackFromCheck(
  check: CheckRecord,
  verdict: Verdict,
  matterName?: string,
): FeedbackRecord[] {
  const measures = new Map(verdict.measures.map((s) => [s.measure.id, s.measure]));
  const records: FeedbackRecord[] = [];
  for (const decision of lastDecisions(check.decisions)) {
    const measure = measures.get(decision.measureId);
    if (measure === undefined) continue;
    const reason = decision.decision === '不执行' ? decision.reason?.trim() : undefined;
    records.push(
      FeedbackRecord.parse({
        id: feedbackId(check.id, measure.id),
        checkId: check.id,
        subjectName: check.subjectName ?? '',
        identifier: check.identifier,
        matterId: check.matterId,
        measureId: measure.id,
        type: feedbackType(measure, decision),
        ...(reason ? { reason } : {}),
        result: resultText(measure, decision, matterName),
        basis: measure.basis,
        department: check.department,
        district: check.district,
        at: check.createdAt,
        clerk: check.clerk,
      }),
    );
  }
  return records;
}
