/**
 * 现场检查 (分类监管): the subjects in an inspector's area with their supervision class, and
 * the inspection records made on site, offline. An inspection is saved with its photos and
 * documents (the `files` table, owner 'finding:<id>') and its outbox entry in ONE strict
 * transaction; only the record and the files' names, types and sizes go to the platform, the
 * bytes stay on this workstation.
 *
 * Saving needs a live session with the 'inspection.perform' permission: the function checks it
 * itself (renderer/db/session.ts), so a window clerk cannot record an inspection by calling it
 * directly.
 */
import {
  InspectionFinding,
  type IsoDate,
  type ListRecord,
  type SubjectType,
  type SupervisionClass,
} from '../../shared/domain/schemas';
import { validateIdNumber } from '../../shared/domain/identifiers';
import { chinaDate } from '../../shared/domain/rules-config';
import {
  inInspectorArea,
  nextInspection,
  suggestedInspectionsPerYear,
  supervisionClass,
  type InspectionConfig,
  type InspectionDue,
} from '../../shared/domain/supervision';
import { outboxId, type OutboxState } from '../../shared/sync/outbox';
import type { FileRow, HechataiDb } from './database';
import { enqueue } from './local-records';
import { browseMirror, lookupIdentifier, lookupIdentifiers, type BrowseCursor } from './mirror-store';
import { subjectIdentifiers } from './record-codec';
import { requirePermission, type Session } from './session';

// ---------------------------------------------------------------- attachments

const MB = 1024 * 1024;

/** Limits of the photos and documents of one inspection (IndexedDB space on a laptop is finite). */
export const ATTACHMENT_LIMITS = {
  maxFiles: 9,
  maxFileBytes: 10 * MB,
  maxTotalBytes: 30 * MB,
} as const;

/** What may be attached: photos and PDF documents, recognised by their content. */
export const ATTACHMENT_TYPES = {
  'image/jpeg': ['jpg', 'jpeg'],
  'image/png': ['png'],
  'application/pdf': ['pdf'],
} as const;
export type AttachmentMime = keyof typeof ATTACHMENT_TYPES;

/** A photo or document chosen for an inspection, before it is saved. */
export interface InspectionFile {
  name: string;
  bytes: Uint8Array;
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

/** The type a file's content shows (magic numbers), or undefined when it is none we accept. */
export function sniffMime(bytes: Uint8Array): AttachmentMime | undefined {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf'; // %PDF-
  return undefined;
}

export function isImage(mime: string): boolean {
  return mime.startsWith('image/');
}

export function formatSize(bytes: number): string {
  return bytes >= MB ? `${(bytes / MB).toFixed(1)} MB` : `${Math.max(1, Math.ceil(bytes / 1024))} KB`;
}

export class AttachmentRefused extends Error {
  override readonly name = 'AttachmentRefused';
}

/**
 * Why `file` cannot join the `already` chosen ones (a Chinese sentence naming the file), or
 * null when it can. Checks, in order: the count, the type (by content, whatever the name
 * says), the size of the file, the total of the inspection.
 */
export function attachmentProblem(file: InspectionFile, already: readonly InspectionFile[]): string | null {
  const { maxFiles, maxFileBytes, maxTotalBytes } = ATTACHMENT_LIMITS;
  if (already.length >= maxFiles) return `不能添加“${file.name}”：每次检查最多附 ${maxFiles} 个文件`;
  if (file.bytes.byteLength === 0) return `“${file.name}”是空文件`;
  if (sniffMime(file.bytes) === undefined)
    return `“${file.name}”不是 JPG、PNG 照片或 PDF 文档（按文件内容判断），不能作为检查材料`;
  if (file.bytes.byteLength > maxFileBytes)
    return `“${file.name}”大小 ${formatSize(file.bytes.byteLength)}，超过单个文件上限 ${formatSize(maxFileBytes)}`;
  const total = already.reduce((n, f) => n + f.bytes.byteLength, 0) + file.bytes.byteLength;
  if (total > maxTotalBytes)
    return `加上“${file.name}”（${formatSize(file.bytes.byteLength)}）后本次检查材料共 ${formatSize(total)}，超过上限 ${formatSize(maxTotalBytes)}`;
  return null;
}

// ---------------------------------------------------------------- saving

/** What the form gives; the inspector and the attachment list come from the actor and the files. */
export type InspectionDraft = Omit<InspectionFinding, 'inspector' | 'attachments'>;

/**
 * Saves an inspection with its files and queues it for the platform, all or nothing; the
 * inspector is the session's account. Throws NotSignedIn for a session that is not live (ended
 * by the lock or sign-out, or made by hand), PermissionDenied without 'inspection.perform',
 * AttachmentRefused when the files break a limit (nothing is written then), and a zod error
 * for an invalid record.
 */
export async function saveInspection(
  db: HechataiDb,
  session: Session,
  draft: InspectionDraft,
  files: readonly InspectionFile[],
): Promise<InspectionFinding> {
  const actor = requirePermission(session, 'inspection.perform');
  const accepted: InspectionFile[] = [];
  const mimes: AttachmentMime[] = [];
  for (const f of files) {
    const problem = attachmentProblem(f, accepted);
    if (problem !== null) throw new AttachmentRefused(problem);
    accepted.push(f);
    mimes.push(sniffMime(f.bytes) as AttachmentMime);
  }
  const finding = InspectionFinding.parse({
    ...draft,
    inspector: actor.name,
    attachments: files.map((f, i) => ({ name: f.name, mime: mimes[i], size: f.bytes.byteLength })),
  });
  const owner = fileOwner(finding.id);
  const rows: FileRow[] = files.map((f, i) => ({
    id: `${owner}:${i}`,
    owner,
    name: f.name,
    mime: mimes[i] as string,
    size: f.bytes.byteLength,
    bytes: f.bytes,
    createdAt: finding.at,
  }));
  await db.transaction('rw', [db.findings, db.files, db.outbox, db.meta], async () => {
    await db.findings.add(finding);
    if (rows.length > 0) await db.files.bulkAdd(rows);
    await enqueue(db, { kind: 'finding', record: finding }, finding.at);
  });
  return finding;
}

function fileOwner(findingId: string): string {
  return `finding:${findingId}`;
}

// ---------------------------------------------------------------- reading inspections

/** Where an inspection stands with the platform ('missing' should not happen: saved together). */
export type SyncState = OutboxState | 'missing';

export interface InspectionRow {
  finding: InspectionFinding;
  sync: SyncState;
  /** The platform's reason, when it refused the record. */
  syncError?: string;
}

async function withSync(db: HechataiDb, findings: InspectionFinding[]): Promise<InspectionRow[]> {
  const entries = await db.outbox.bulkGet(findings.map((f) => outboxId({ kind: 'finding', record: f })));
  return findings.map((finding, i) => {
    const e = entries[i];
    return e ? { finding, sync: e.state, ...(e.lastError === undefined || e.state === 'accepted' ? {} : { syncError: e.lastError }) } : { finding, sync: 'missing' };
  });
}

/** The inspections `inspector` recorded here, newest first. */
export async function inspectionsBy(db: HechataiDb, inspector: string, limit = 500): Promise<InspectionRow[]> {
  const rows = await db.findings.where('inspector').equals(inspector).toArray();
  rows.sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : -1));
  return withSync(db, rows.slice(0, limit).map((r) => InspectionFinding.parse(r)));
}

export interface InspectionDetail extends InspectionRow {
  files: FileRow[];
}

export async function inspectionDetail(db: HechataiDb, id: string): Promise<InspectionDetail | undefined> {
  const row = await db.findings.get(id);
  if (!row) return undefined;
  const [withState] = await withSync(db, [InspectionFinding.parse(row)]);
  const files = await db.files.where('owner').equals(fileOwner(id)).toArray();
  files.sort((a, b) => (a.id < b.id ? -1 : 1));
  return { ...(withState as InspectionRow), files };
}

/** The date (China time) of the latest inspection recorded here for each identifier given. */
export async function lastInspections(db: HechataiDb, identifiers: readonly string[]): Promise<Map<string, IsoDate>> {
  const last = new Map<string, number>();
  if (identifiers.length === 0) return new Map();
  await db.findings
    .where('identifier')
    .anyOf([...identifiers])
    .each((f) => {
      if (f.at > (last.get(f.identifier) ?? -1)) last.set(f.identifier, f.at);
    });
  return new Map([...last].map(([id, at]) => [id, chinaDate(at)]));
}

// ---------------------------------------------------------------- subjects to inspect

export interface SupervisedSubject {
  /** The identifier the subject is known by (USCC, ID number or an older code). */
  identifier: string;
  name: string;
  type: SubjectType;
  district: string;
  /** Every current record naming the subject (from the whole mirror, not only the area). */
  records: ListRecord[];
  supervisionClass: SupervisionClass;
  perYear: number;
  lastInspected?: IsoDate;
  next: InspectionDue;
}

/** The subject a record names: its first identifier (uscc, then ID number, then older codes). */
function subjectOf(r: ListRecord): string | undefined {
  return subjectIdentifiers(r)[0];
}

/**
 * Any subject by identifier, as the inspector sees it: class from all its current records in
 * the mirror, the frequency from configuration, the next inspection from the ones recorded
 * here. A subject on no list is 一般; its name is then unknown here ('') and its type is taken
 * from the form of the identifier.
 */
export async function describeSubject(
  db: HechataiDb,
  identifier: string,
  opts: { today: IsoDate; config: InspectionConfig },
): Promise<SupervisedSubject> {
  const [hits, last] = await Promise.all([lookupIdentifier(db, identifier), lastInspections(db, [identifier])]);
  const first = hits.subject[0];
  const who = first
    ? { name: first.subjectName, type: first.subjectType }
    : { name: '', type: validateIdNumber(identifier).status === 'invalid' ? ('法人' as const) : ('自然人' as const) };
  return subjectFrom(identifier, hits.subject, who, last.get(identifier), opts);
}

function subjectFrom(
  identifier: string,
  records: ListRecord[],
  who: { name: string; type: SubjectType },
  lastInspected: IsoDate | undefined,
  opts: { today: IsoDate; config: InspectionConfig },
): SupervisedSubject {
  const cls = supervisionClass(records, opts.today);
  const perYear = suggestedInspectionsPerYear(cls, opts.config);
  return {
    identifier,
    name: who.name,
    type: who.type,
    district: records.find((r) => r.district)?.district ?? '',
    records,
    supervisionClass: cls,
    perYear,
    ...(lastInspected === undefined ? {} : { lastInspected }),
    next: nextInspection(lastInspected, perYear, opts.today),
  };
}

export interface AreaQuery {
  /** The inspector's area (a district, with or without its city); empty = every district. */
  area: string;
  today: IsoDate;
  config: InspectionConfig;
  /** Continue after this point of the mirror (from the previous page's `next`). */
  after?: BrowseCursor | null;
  /** Subjects already shown: not returned again. */
  skip?: ReadonlySet<string>;
  /** Stop reading once at least this many new subjects are found … */
  limit?: number;
  /** … or this many mirror records were read (the mirror may hold a million records). */
  scanLimit?: number;
}

export interface AreaPage {
  subjects: SupervisedSubject[];
  /** Where to continue; null at the end of the mirror. */
  next: BrowseCursor | null;
  /** Mirror records read by this call. */
  scanned: number;
}

/**
 * The subjects whose list records are registered in the inspector's area, in mirror order,
 * read batch by batch from the mirror (never the whole mirror at once). Each subject's class is
 * derived from all its current records, found through the identifier index.
 *
 * Every subject of the records read is returned, so `next` is exact; the first batch is small
 * (2 × limit records) and batches double while the area yields few subjects, so a wide area
 * costs few look-ups and a narrow one few round trips.
 */
export async function subjectsInArea(db: HechataiDb, q: AreaQuery): Promise<AreaPage> {
  const limit = q.limit ?? 50;
  const scanLimit = q.scanLimit ?? 20_000;
  const seen = new Set(q.skip ?? []);
  const found: { identifier: string; record: ListRecord }[] = [];
  let after = q.after ?? null;
  let scanned = 0;
  let next: BrowseCursor | null = after;
  let batch = Math.max(16, 2 * limit);
  while (found.length < limit && scanned < scanLimit) {
    const size = Math.min(batch, scanLimit - scanned);
    const page = await browseMirror(db, { after, limit: size, scanLimit: size });
    scanned += page.records.length;
    next = page.next;
    for (const r of page.records) {
      if (!inInspectorArea(r.district, q.area)) continue;
      const id = subjectOf(r);
      if (id === undefined || seen.has(id)) continue;
      seen.add(id);
      found.push({ identifier: id, record: r });
    }
    if (!page.next) break;
    after = page.next;
    batch = Math.min(batch * 2, 4_096);
  }
  const ids = found.map((f) => f.identifier);
  const [hits, last] = await Promise.all([lookupIdentifiers(db, ids), lastInspections(db, ids)]);
  const subjects = found.map((f) =>
    subjectFrom(f.identifier, hits.get(f.identifier)?.subject ?? [f.record], { name: f.record.subjectName, type: f.record.subjectType }, last.get(f.identifier), q),
  );
  return { subjects, next, scanned };
}
