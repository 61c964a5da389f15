/**
 * 信用承诺 under 容缺受理 (000 §三, 001 §十一, 004 §7): the applicant promises to supply missing
 * secondary materials by a deadline; the client tracks every open commitment, and a missed
 * deadline is a breach (违背承诺) that bars later fast-track.
 */
import type { Commitment, IsoDate, Matter } from './schemas';
import { DEFAULT_RULES, addDays, addWorkingDays, chinaDate, type RulesConfig } from './rules-config';

export type CommitmentState = 'open' | 'due_soon' | 'overdue' | 'supplied' | 'breached';

/** How many days before the deadline an open commitment is shown as due soon. */
export const DEFAULT_DUE_SOON_DAYS = 3;

/**
 * The latest deadline allowed: the statutory time limit (法定办结时限) counted in working days
 * from the China date the commitment is made. A fast-track deadline may not be later.
 */
export function commitmentDeadlineLimit(
  matter: Matter,
  createdAt: number,
  rules: RulesConfig = DEFAULT_RULES,
): IsoDate {
  return addWorkingDays(chinaDate(createdAt), matter.statutoryDays, rules.holidays, rules.workingWeekends);
}

/** null when the deadline is acceptable; otherwise the error to show the clerk. */
export function validateCommitmentDeadline(
  matter: Matter,
  createdAt: number,
  deadline: IsoDate,
  rules: RulesConfig = DEFAULT_RULES,
): string | null {
  const tomorrow = addDays(chinaDate(createdAt), 1);
  if (deadline < tomorrow) return `承诺期限不得早于 ${tomorrow}`;
  const limit = commitmentDeadlineLimit(matter, createdAt, rules);
  if (deadline > limit)
    return `承诺期限不得晚于 ${limit}（法定办结时限 ${matter.statutoryDays} 个工作日）`;
  return null;
}

/** The state a commitment is shown in on `today` (China date). */
export function commitmentState(
  c: Commitment,
  today: IsoDate,
  dueSoonDays: number = DEFAULT_DUE_SOON_DAYS,
): CommitmentState {
  if (c.status !== 'open') return c.status;
  if (c.deadline < today) return 'overdue';
  if (c.deadline <= addDays(today, dueSoonDays)) return 'due_soon';
  return 'open';
}

/** Open commitments whose deadline has passed: to be marked breached and reported. */
export function dueForBreach(commitments: Commitment[], today: IsoDate): Commitment[] {
  return commitments.filter((c) => c.status === 'open' && c.deadline < today);
}
