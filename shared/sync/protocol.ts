/**
 * The sync protocol between 信用核查台 and a city credit platform, version 1: the zod schemas
 * of every body that crosses the wire, used by the client (HttpPlatformAdapter) and by the
 * reference platform (test/platform/) alike. PROTOCOL.md beside this file is the prose
 * description; the two must agree (protocol.test.ts checks the examples there).
 *
 * Compatibility: objects are parsed non-strictly (unknown fields are dropped), so a platform
 * may add fields within v1; anything else is a new version under a new path (/api/v2).
 *
 * Pure code: imports only shared/ and zod.
 */
import { z } from 'zod';
import { EpochMs, ListRecord, Matter, Measure } from '../domain/schemas';
import { COMPACT_TEXT_FIELDS, expandCompactChange, fastChange } from './fast-change';
import { OutboxPayload, outboxId } from './outbox';

/** Version of the wire protocol; it is also the path prefix (/api/v1). */
export const PROTOCOL_VERSION = 1;
/**
 * Version of the data the platform serves (the shapes of ListRecord, Measure, Matter and how
 * the platform derives them). When the platform changes it, every mirror built on an older
 * version must be rebuilt: pulls with the old `schema` get a reset.
 */
export const DATA_SCHEMA_VERSION = 1;

/**
 * Response header of a pull page with more after it: the page's `nextCursor`, so a client may
 * ask for the next page before it has read this one's body (optional for a platform; the body's
 * `nextCursor` is what counts).
 */
export const NEXT_CURSOR_HEADER = 'x-next-cursor';

export const API_PATHS = {
  health: '/api/v1/health',
  enrol: '/api/v1/enrol',
  changes: '/api/v1/changes',
  push: '/api/v1/push',
} as const;

export const PULL_LIMIT_DEFAULT = 500;
/**
 * 5000 since 2026-11-22 (was 2000): a page costs both sides a round trip and the client one
 * commit, so a first load of 1,000,000 records takes 200 pages instead of 500. A platform with a
 * smaller cap serves fewer (the client follows `hasMore`), so either side may be older.
 */
export const PULL_LIMIT_MAX = 5000;
/**
 * Records per push request; more is answered 413. 1,000 since 2026-11-22 (was 200): a batch
 * costs the platform one fsync and the client one commit, so 10,000 records went from 50 round
 * trips to 10 (npm run bench, sync.push). A client meeting a platform with a smaller limit gets
 * 413 and halves its batch (engine.ts), so either side may be older.
 */
export const PUSH_BATCH_MAX = 1000;
/** Request bodies larger than this are answered 413. */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

// ------------------------------------------------------------------ results

export type Result<T, E> = { ok: true; value: T } | { ok: false; error: E };
export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const err = <E>(error: E): { ok: false; error: E } => ({ ok: false, error });

// ------------------------------------------------------------------ errors

/**
 * Every error answer has this shape, whatever the status. `code` is for programs, `message`
 * is Chinese and tells the clerk what to do. Codes not known here must still be shown.
 */
export const ErrorBody = z.object({
  error: z.object({ code: z.string().min(1).max(64), message: z.string().min(1).max(2000) }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** Error codes of v1, with the HTTP status the platform answers them with. */
export const ERRORS = {
  bad_request: { status: 400, message: '请求格式不正确，请升级客户端或联系平台管理员' },
  unauthorized: { status: 401, message: '本机未登记或登记已失效，请在“设置 → 平台连接”中重新登记' },
  enrol_code_invalid: { status: 403, message: '登记码无效，请核对后重新输入' },
  enrol_code_expired: { status: 403, message: '登记码已过期，请向平台管理员申请新的登记码' },
  enrol_code_used: { status: 409, message: '登记码已被使用，请向平台管理员申请新的登记码' },
  not_found: { status: 404, message: '平台没有这个接口，请确认平台地址和协议版本' },
  method_not_allowed: { status: 405, message: '平台不接受这种请求方式' },
  payload_too_large: { status: 413, message: '一次提交的记录过多或过大，请分批提交' },
  unsupported_media_type: { status: 415, message: '请求内容须为 JSON（application/json）' },
  overloaded: { status: 429, message: '平台繁忙，稍后将自动重试' },
  internal: { status: 500, message: '平台内部错误，稍后将自动重试；如持续出现请联系平台管理员' },
  unavailable: { status: 503, message: '平台维护中，稍后将自动重试' },
} as const satisfies Record<string, { status: number; message: string }>;
export type ErrorCode = keyof typeof ERRORS;

export function errorBody(code: ErrorCode, message?: string): ErrorBody {
  return { error: { code, message: message ?? ERRORS[code].message } };
}

// ------------------------------------------------------------------ health

/** GET /api/v1/health: no token needed; the client's probe of "online". */
export const HealthResponse = z.object({
  ok: z.boolean(),
  protocol: z.number().int().positive(),
  serverTime: EpochMs,
  schemaVersion: z.number().int().positive(),
});
export type HealthResponse = z.infer<typeof HealthResponse>;

// ------------------------------------------------------------------ enrolment

/** POST /api/v1/enrol: a one-time code issued by the platform administrator. */
export const EnrolRequest = z.object({
  code: z.string().trim().min(4).max(64),
  deviceName: z.string().trim().min(1).max(100),
});
export type EnrolRequest = z.infer<typeof EnrolRequest>;

export const EnrolResponse = z.object({
  deviceId: z.string().min(1).max(128),
  /** Bearer token for changes and push; the client keeps it in the OS secret store. */
  token: z.string().min(16).max(512),
  department: z.string().min(1).max(100),
  district: z.string().max(100),
});
export type EnrolResponse = z.infer<typeof EnrolResponse>;

// ------------------------------------------------------------------ pull

/**
 * A position in the platform's change log, made by the platform and opaque to the client: it
 * stores the cursor of the last page it applied and sends it back. (The reference platform
 * packs the data schema version, the seq and, during a first load, the snapshot seq in it.)
 * A first load sends no cursor.
 */
export const Cursor = z.string().min(1).max(256).regex(/^[\x21-\x7e]+$/, 'cursor 只含可见 ASCII 字符');
const Seq = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const EntityId = z.string().min(1).max(128);

export const ChangeKind = z.enum(['record', 'measure', 'matter']);
export type ChangeKind = z.infer<typeof ChangeKind>;

const RecordUpsert = z.object({ seq: Seq, op: z.literal('upsert'), kind: z.literal('record'), data: ListRecord });
const MeasureUpsert = z.object({ seq: Seq, op: z.literal('upsert'), kind: z.literal('measure'), data: Measure });
const MatterUpsert = z.object({ seq: Seq, op: z.literal('upsert'), kind: z.literal('matter'), data: Matter });
/** A tombstone: the entity is gone from the platform (not the same as 移出, which is an upsert with removedOn). */
const Deletion = z.object({ seq: Seq, op: z.literal('delete'), kind: ChangeKind, id: EntityId });

export const Change = z.discriminatedUnion('op', [
  z.discriminatedUnion('kind', [RecordUpsert, MeasureUpsert, MatterUpsert]),
  Deletion,
]);
export type Change = z.infer<typeof Change>;
export type ChangeInput = z.input<typeof Change>;

/** The id of the entity a change is about. */
export function changeEntityId(change: Change): string {
  return change.op === 'delete' ? change.id : change.data.id;
}

/** GET /api/v1/changes?after=<cursor>&limit=<n> (no `after` on a first load) */
export const PullPage = z.object({
  /** Ascending seq. At-least-once: a change may appear again (see freshChanges). */
  changes: z.array(Change).max(PULL_LIMIT_MAX * 2),
  /** Send it back as `after` for the next page (store it in the same transaction as the page). */
  nextCursor: Cursor,
  hasMore: z.boolean(),
  /**
   * On every page of a first load: the platform's last seq when the load began (progress:
   * last seq applied / snapshotSeq). The first load ends with the page that has hasMore false;
   * the mirror is then at least the platform's consistent state at snapshotSeq.
   */
  snapshotSeq: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional(),
  /** DATA_SCHEMA_VERSION of the platform's data in this page. */
  schemaVersion: z.number().int().positive(),
});
export type PullPage = z.infer<typeof PullPage>;
export type PullPageInput = z.input<typeof PullPage>;

/** Why a pull was answered 410 "start over". Unknown reasons mean the same: reset. */
export const RESET_REASONS = {
  /** The change log was compacted past the cursor: tombstones it needs are gone. */
  cursor_too_old: '本机数据同步中断时间过长，平台已清理旧的变更记录，需要重新下载全部名单',
  /** The platform's data schema changed: every mirror must be rebuilt. */
  schema_changed: '平台数据格式已更新，需要重新下载全部名单',
  /** The cursor is not one the platform can continue from (restored from a backup, or garbled). */
  cursor_unknown: '平台数据已恢复到较早状态或同步位置无法识别，需要重新下载全部名单',
} as const;
export type ResetReason = keyof typeof RESET_REASONS;

/** The 410 answer to a pull. */
export const ResetBody = z.object({
  reset: z.literal(true),
  reason: z.string().min(1).max(64),
  message: z.string().max(2000).optional(),
});
export type ResetBody = z.infer<typeof ResetBody>;

export function resetBody(reason: ResetReason): ResetBody {
  return { reset: true, reason, message: RESET_REASONS[reason] };
}

/** The query of a pull, as the platform reads it. */
export interface PullQuery {
  /** Absent on a first load. */
  after?: string;
  /** At most PULL_LIMIT_MAX (larger asks are served PULL_LIMIT_MAX). */
  limit: number;
  /** `compact`: list-record upserts as arrays with a page text table (PROTOCOL.md). Default `full`. */
  format?: PullFormat;
}

/** Reads `after` and `limit` from a query string; a clear message if one is malformed. */
export function parsePullQuery(params: { get(name: string): string | null }): Result<PullQuery, string> {
  const limitText = params.get('limit') ?? String(PULL_LIMIT_DEFAULT);
  if (!/^\d{1,6}$/.test(limitText) || Number(limitText) < 1) return err(`limit 应为正整数：${limitText}`);
  const query: PullQuery = { limit: Math.min(Number(limitText), PULL_LIMIT_MAX) };
  const format = params.get('format');
  if (format !== null) {
    if (!(PULL_FORMATS as readonly string[]).includes(format)) return err(`format 应为 ${PULL_FORMATS.join(' 或 ')}：${format.slice(0, 40)}`);
    query.format = format as PullFormat;
  }
  const after = params.get('after');
  if (after !== null) {
    const cursor = Cursor.safeParse(after);
    if (!cursor.success) return err(`after 不是有效的同步位置：${after.slice(0, 40)}`);
    query.after = cursor.data;
  }
  return ok(query);
}

const PageEnvelope = PullPage.omit({ changes: true });

/**
 * `texts` of a compact page (PROTOCOL.md, "Compact pages"): the texts its compact changes
 * refer to by key. At most one per text field of each change.
 */
export const PageTexts = z
  .record(z.string().regex(/^\d{1,9}$/), z.string().max(4000))
  .refine((t) => Object.keys(t).length <= PULL_LIMIT_MAX * 2 * COMPACT_TEXT_FIELDS.size, { message: '文本过多' });

/** `format` of a pull: `compact` asks for compact pages; a platform that does not know it sends full ones. */
export const PULL_FORMATS = ['full', 'compact'] as const;
export type PullFormat = (typeof PULL_FORMATS)[number];

export interface PageError {
  /** Index in `changes` of the first bad change; absent when the envelope itself is bad. */
  index?: number;
  /** Path of the first bad field, e.g. `changes[12].data.validTo`. */
  field: string;
  /** Chinese, names index and field; says the page was refused. */
  message: string;
}

function pathText(base: string, path: readonly PropertyKey[]): string {
  let s = base;
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s === '' ? String(p) : `.${String(p)}`;
  return s;
}

const utf8 = new TextDecoder();

/**
 * A page in the protocol's JSON as UTF-8 bytes (what the HTTP adapter received, and what the
 * engine staged), parsed and validated whole as parsePage does.
 */
export function decodePage(bytes: Uint8Array): Result<PullPage, PageError> {
  let json: unknown;
  try {
    json = JSON.parse(utf8.decode(bytes));
  } catch {
    return err({ field: '', message: '分页不是有效的 JSON，整页已拒收' });
  }
  return parsePage(json);
}

/**
 * Validates a whole page before anything of it is applied: one bad change refuses the page
 * (a mirror must never hold half a page). Checks each change on its own so the error names
 * the first bad index and field; also refuses a seq repeated with different content (a repeat
 * with the same content is an ordinary at-least-once duplicate).
 */
export function parsePage(json: unknown): Result<PullPage, PageError> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return err({ field: '', message: '平台返回的分页不是 JSON 对象，整页已拒收' });
  }
  const raw = json as Record<string, unknown>;
  const rawChanges = raw.changes;
  if (!Array.isArray(rawChanges)) {
    return err({ field: 'changes', message: '平台返回的分页缺少 changes 数组，整页已拒收' });
  }
  const envelope = PageEnvelope.safeParse(raw);
  if (!envelope.success) {
    const issue = envelope.error.issues[0];
    const field = pathText('', issue?.path ?? []);
    return err({ field, message: `平台返回的分页字段 ${field} 不符合协议：${issue?.message ?? ''}；整页已拒收` });
  }
  if (rawChanges.length > PULL_LIMIT_MAX * 2) {
    return err({ field: 'changes', message: `平台返回的分页有 ${rawChanges.length} 条变更，超过上限，整页已拒收` });
  }

  let texts: Record<string, string> | undefined;
  if (raw.texts !== undefined) {
    const parsedTexts = PageTexts.safeParse(raw.texts);
    if (!parsedTexts.success) {
      const issue = parsedTexts.error.issues[0];
      const field = pathText('texts', issue?.path ?? []);
      return err({ field, message: `平台返回的分页字段 ${field} 不符合协议：${issue?.message ?? ''}；整页已拒收` });
    }
    texts = parsedTexts.data;
  }

  const changes: Change[] = [];
  /** seq → index of its first occurrence; contents are compared only when a seq repeats. */
  const seen = new Map<number, number>();
  for (let index = 0; index < rawChanges.length; index++) {
    let item: unknown = rawChanges[index];
    let fast: Change | undefined;
    if (Array.isArray(item)) {
      // A compact list-record upsert: expanded to the full form and checked by hand as it is
      // built; when unsure, zod decides on the full form below.
      const expanded = expandCompactChange(item, texts);
      if ('at' in expanded) {
        const field = expanded.at < 0 ? `changes[${index}]` : `changes[${index}][${expanded.at}]`;
        return err({ index, field, message: `平台返回的第 ${index} 条变更不符合协议（${field}：${expanded.message}），整页已拒收` });
      }
      item = expanded.change;
      fast = expanded.checked;
    } else {
      // List-record changes are checked by hand first (fast-change.ts: a strict subset of the
      // schema, ~9 times faster); zod decides, and names the error, for everything else.
      fast = fastChange(item);
    }
    const parsed = fast ? ({ success: true, data: fast } as const) : Change.safeParse(item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = pathText(`changes[${index}]`, issue?.path ?? []);
      return err({
        index,
        field,
        message: `平台返回的第 ${index} 条变更不符合协议（${field}：${issue?.message ?? ''}），整页已拒收`,
      });
    }
    const change = parsed.data;
    const first = seen.get(change.seq);
    if (first !== undefined && JSON.stringify(rawChanges[first]) !== JSON.stringify(rawChanges[index])) {
      return err({
        index,
        field: `changes[${index}].seq`,
        message: `平台返回的第 ${index} 条变更序号 ${change.seq} 重复且内容不同，整页已拒收`,
      });
    }
    if (first === undefined) seen.set(change.seq, index);
    changes.push(change);
  }
  return ok({ ...envelope.data, changes });
}

/**
 * The changes of a page the client has not applied yet, in order: drops every change at or
 * below `lastSeq` (the seq of the last change the client applied, kept beside the cursor;
 * 0 on a first load) and every repeat of a seq (delivery is at-least-once).
 */
export function freshChanges(changes: readonly Change[], lastSeq: number): { fresh: Change[]; duplicates: number } {
  const fresh: Change[] = [];
  let last = lastSeq;
  let duplicates = 0;
  for (const change of changes) {
    if (change.seq <= last) {
      duplicates += 1;
      continue;
    }
    fresh.push(change);
    last = change.seq;
  }
  return { fresh, duplicates };
}

// ------------------------------------------------------------------ push

/** One outbox entry on the wire; `id` is the idempotency key, outboxId(payload). */
export const PushItem = z
  .object({ id: z.string().min(1).max(200), payload: OutboxPayload })
  .refine((item) => item.id === outboxId(item.payload), { path: ['id'], message: 'id 应为 outboxId(payload)' });
export type PushItem = z.infer<typeof PushItem>;

/** POST /api/v1/push, as the client builds it. */
export const PushRequest = z.object({ records: z.array(PushItem).min(1).max(PUSH_BATCH_MAX) });
export type PushRequest = z.infer<typeof PushRequest>;

/**
 * The same request as the platform reads it first: only the envelope. Each payload is then
 * parsed on its own, so one malformed record is rejected alone instead of failing the batch.
 */
export const PushEnvelope = z.object({
  records: z
    .array(z.object({ id: z.string().min(1).max(200), payload: z.unknown() }))
    .min(1)
    .max(PUSH_BATCH_MAX),
});

export const PushStatus = z.enum(['accepted', 'duplicate', 'rejected']);
export type PushStatus = z.infer<typeof PushStatus>;

/** Why the platform refused one record (a business answer, never retried as is). */
export const REJECTION_CODES = [
  'invalid_record',
  'id_mismatch',
  'unknown_matter',
  'unknown_measure',
  'unknown_record',
  'invalid_identifier',
  'audit_chain_broken',
] as const;
export type RejectionCode = (typeof REJECTION_CODES)[number];

export const PushOutcome = z.object({
  id: z.string().min(1).max(200),
  status: PushStatus,
  /** For 'rejected': one of REJECTION_CODES (or a newer code). */
  code: z.string().max(64).optional(),
  /** Chinese, for the clerk: why the record was rejected. */
  reason: z.string().max(2000).optional(),
});
export type PushOutcome = z.infer<typeof PushOutcome>;

/** One outcome per request record, in request order. */
export const PushResponse = z.object({ results: z.array(PushOutcome), serverTime: EpochMs });
export type PushResponse = z.infer<typeof PushResponse>;

// ------------------------------------------------------------------ Retry-After

/** Longest wait a Retry-After may ask for; longer values are capped (a typo must not park a queue for days). */
export const RETRY_AFTER_MAX_MS = 60 * 60 * 1000;

/**
 * Retry-After (RFC 9110): delay-seconds or an HTTP-date. Milliseconds to wait, capped at
 * RETRY_AFTER_MAX_MS; undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d{1,10}$/.test(text)) return Math.min(Number(text) * 1000, RETRY_AFTER_MAX_MS);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.min(Math.max(0, at - nowMs), RETRY_AFTER_MAX_MS);
}
