/** Searching the checks made on this workstation (留痕), newest first. */
import type { CheckRecord, FeedbackRecord, Headline } from '../../shared/domain/schemas';
import type { HechataiDb } from './database';

export interface HistoryQuery {
  /** Identifier or part of the subject's name. */
  text?: string;
  matterId?: string;
  clerk?: string;
  headline?: Headline;
  from?: number;
  to?: number;
  limit?: number;
}

export async function searchChecks(db: HechataiDb, q: HistoryQuery): Promise<CheckRecord[]> {
  const text = q.text?.trim().toUpperCase();
  const rows = await db.checks
    .where('createdAt')
    .between(q.from ?? 0, q.to ?? Number.MAX_SAFE_INTEGER, true, true)
    .reverse()
    .filter(
      (c) =>
        (!q.matterId || c.matterId === q.matterId) &&
        (!q.clerk || c.clerk === q.clerk) &&
        (!q.headline || c.headline === q.headline) &&
        (!text || c.identifier.includes(text) || (c.subjectName ?? '').includes(q.text?.trim() ?? '')),
    )
    .limit(q.limit ?? 1_000)
    .toArray();
  // The frozen print form stays on the row; the list shows the record itself.
  return rows.map((r) => {
    const { printable: _p, ...check } = r as CheckRecord & { printable?: unknown };
    return check;
  });
}

/** The feedback records (执行反馈) of the given checks. */
export async function feedbackForChecks(db: HechataiDb, checkIds: readonly string[]): Promise<FeedbackRecord[]> {
  return db.feedback.where('checkId').anyOf([...checkIds]).sortBy('at');
}
