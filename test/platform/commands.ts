/**
 * Commands that move the reference platform's world, for tests and demos: what the platform's
 * staff do between two syncs of a client. Sent as JSON to POST /admin/command, or applied
 * in-process with PlatformStore.apply(). Every list-record command makes a new version and a
 * change in the log, exactly as a real edit would.
 */
import { z } from 'zod';
import { IsoDate, ListRecord, Matter, Measure } from '../../shared/domain/schemas';
import { ChangeKind } from '../../shared/sync/protocol';

const Id = z.string().min(1).max(128);

export const AdminCommand = z.discriminatedUnion('op', [
  /** 列入: a new list record, version 1. */
  z.object({ op: z.literal('add'), record: ListRecord.omit({ version: true }) }),
  /** A new version with some fields changed; a field set to null is cleared. */
  z.object({ op: z.literal('change'), id: Id, patch: z.record(z.string(), z.unknown()) }),
  /** 到期: valid to the day before `on` (default today), so no longer in force. */
  z.object({ op: z.literal('expire'), id: Id, on: IsoDate.optional() }),
  /** 移出: removed from the list on `on` (default today); still a record, with removedOn. */
  z.object({ op: z.literal('remove'), id: Id, on: IsoDate.optional() }),
  /** 信用修复 completed on `on` (default today). */
  z.object({ op: z.literal('repair'), id: Id, on: IsoDate.optional() }),
  /** 异议: raise (pending, punishment suspended), reject (resumes), uphold (voids). */
  z.object({ op: z.literal('objection'), id: Id, action: z.enum(['raise', 'reject', 'uphold']) }),
  /** Gone from the platform altogether (entered in error, purged): a tombstone in the log. */
  z.object({ op: z.literal('delete'), kind: ChangeKind.default('record'), id: Id }),
  z.object({ op: z.literal('putMeasure'), measure: Measure }),
  z.object({ op: z.literal('putMatter'), matter: Matter }),
  /** A one-time enrolment code for a device of this department. */
  z.object({
    op: z.literal('enrolCode'),
    department: z.string().min(1).max(100).default('市场监督管理局'),
    district: z.string().max(100).default('兰山区'),
    ttlMinutes: z.number().int().positive().max(60 * 24 * 365).optional(),
  }),
  /** Drops superseded changes and tombstones up to `through` (default: the last seq); older cursors get reset. */
  z.object({ op: z.literal('compact'), through: z.number().int().nonnegative().optional() }),
  /** The platform's data schema changed: every client must reload (reset 'schema_changed'). */
  z.object({ op: z.literal('setSchemaVersion'), version: z.number().int().positive() }),
]);
export type AdminCommand = z.input<typeof AdminCommand>;

/** POST /admin/commands: applied in order in one transaction. */
export const AdminCommands = z.object({ commands: z.array(AdminCommand).min(1).max(50_000) });
export type ParsedAdminCommand = z.output<typeof AdminCommand>;

export interface CommandResult {
  /** The seq of the change the command made, if it made one. */
  seq?: number;
  /** The entity as it now is. */
  data?: unknown;
  /** enrolCode: the code, formatted XXXX-XXXX. */
  code?: string;
  /** compact: the new floor and how many changes were dropped. */
  floor?: number;
  removed?: number;
  schemaVersion?: number;
}

/** A command that cannot be applied (unknown id, objection not pending …); Chinese message. */
export class CommandError extends Error {
  constructor(
    readonly code: 'not_found' | 'conflict' | 'bad_request',
    message: string,
  ) {
    super(message);
    this.name = 'CommandError';
  }
}
