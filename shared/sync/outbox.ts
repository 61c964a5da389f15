/**
 * The outbox: every record the client makes for the platform is written here in the same
 * IndexedDB transaction as the record itself, so a crash can neither lose it nor send half.
 * The entry id is the record's own client-generated id: the platform is idempotent on it.
 */
import { z } from 'zod';
import {
  CheckRecord,
  Commitment,
  EpochMs,
  FeedbackRecord,
  InspectionFinding,
  Objection,
} from '../domain/schemas';
import { AuditEntry } from '../domain/audit';

/**
 * An audit trail entry as sent: `chain` names the workstation's trail (one per install), `id`
 * is `<chain>:<seq>`. The platform can recompute `entry.hash` and check `entry.prevHash`
 * against the entry it holds for seq − 1 (shared/domain/audit.ts explains the hash).
 */
export const AuditRecord = z
  .object({ id: z.string().min(1).max(128), chain: z.string().min(1).max(100), entry: AuditEntry })
  .refine((r) => r.id === `${r.chain}:${r.entry.seq}`, { message: '审计记录编号应为 <chain>:<seq>', path: ['id'] });
export type AuditRecord = z.infer<typeof AuditRecord>;

export const OutboxPayload = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('check'), record: CheckRecord }),
  z.object({ kind: z.literal('feedback'), record: FeedbackRecord }),
  z.object({ kind: z.literal('commitment'), record: Commitment }),
  z.object({ kind: z.literal('objection'), record: Objection }),
  z.object({ kind: z.literal('finding'), record: InspectionFinding }),
  z.object({ kind: z.literal('audit'), record: AuditRecord }),
]);
export type OutboxPayload = z.infer<typeof OutboxPayload>;
export type OutboxKind = OutboxPayload['kind'];

/**
 * pending: waiting to be delivered; accepted: delivered (the platform answered accepted or
 * duplicate); rejected: refused by the platform, waiting for the clerk (resubmit makes it
 * pending again); withdrawn: the clerk gave up sending it (the local record stays).
 */
export const OutboxState = z.enum(['pending', 'accepted', 'rejected', 'withdrawn']);
export type OutboxState = z.infer<typeof OutboxState>;

export const OutboxEntry = z.object({
  /** outboxId(payload) — unique per event, the idempotency key sent to the platform. */
  id: z.string().min(1),
  /** Local order of creation; push sends in this order. */
  seq: z.number().int().nonnegative(),
  createdAt: EpochMs,
  state: OutboxState,
  attempts: z.number().int().nonnegative(),
  /** Chinese: the platform's reason for a rejection, or the last delivery error. */
  lastError: z.string().optional(),
  /** The platform's rejection code (REJECTION_CODES in protocol.ts), for a rejected entry. */
  rejectCode: z.string().optional(),
  /** When the entry left 'pending' (accepted, rejected or withdrawn). */
  settledAt: EpochMs.optional(),
  payload: OutboxPayload,
});
export type OutboxEntry = z.infer<typeof OutboxEntry>;

/**
 * A commitment is sent once when made and once more when it ends (supplied or breached):
 * each state is its own event, so the id names the state.
 */
export function outboxId(payload: OutboxPayload): string {
  if (payload.kind === 'commitment') return `commitment:${payload.record.id}:${payload.record.status}`;
  return `${payload.kind}:${payload.record.id}`;
}
