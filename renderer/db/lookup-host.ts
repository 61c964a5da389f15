/**
 * What the look-up worker does (lookup-worker.ts; here so that Node's tests can drive it with
 * an in-memory file store). It answers look-ups from the look-up file of the current
 * generation without touching IndexedDB when it knows the mirror's state, and through
 * IndexedDB otherwise (which also fills the caches the file path needs).
 *
 * Knowing the state: every commit that changes it is announced on a BroadcastChannel
 * (mirror-store.ts, `announceChange`) and the page says so too after each import or sync
 * (`invalidate`, on the same port as the look-ups, so it cannot overtake them); the next
 * look-up then goes through IndexedDB and reads the state afresh. As a safety net against an
 * announcement lost with a writer that died right after its commit, a look-up answered from
 * the file re-reads the state in the background when the last reading is older than
 * `recheckMs`; a difference counts in `stats.staleFound` and drops the known state.
 */
import { mbText } from '../app/storage';
import type { HechataiDb } from './database';
import { LookupFile, type RandomAccessFile } from './lookup-file';
import { buildLookupFile, lookupFromFile, lookupInHere, mirrorState, sameMirrorState, type IdentifierHits, type MirrorState } from './mirror-store';

/** Where look-up files live (the origin-private file system in the worker). */
export interface FileStore {
  /** The file to read, or undefined when absent or held by another context. */
  open(name: string): Promise<RandomAccessFile | undefined>;
  /** A new empty file to write, or undefined when another context holds it. */
  create(name: string): Promise<RandomAccessFile | undefined>;
  remove(name: string): Promise<void>;
  list(): Promise<string[]>;
  /** Bytes this origin may still write, if the engine says. */
  free?(): Promise<number | undefined>;
}

/** Bytes the look-up file takes per mirror record (180.4 MB at 1,000,000 in `npm run bench`), with a margin. */
export const LOOKUP_FILE_BYTES_PER_RECORD = 200;

export interface LookupHostStats {
  /** Answered from the file / through IndexedDB. */
  fromFile: number;
  fromDatabase: number;
  /** Background re-readings that found a state other than the one answered from. */
  staleFound: number;
  /** The file in use: its generation, and how long building it took (0 = found ready). */
  file?: { gen: number; builtAt: number; buildMs: number; bytes: number };
  /** The last build's failure, if any (look-ups go on through IndexedDB). */
  buildError?: string;
  /** A file is being built (or looked for). */
  building: boolean;
}

export interface LookupHostOptions {
  recheckMs?: number;
  now?: () => number;
}

const PREFIX = 'lookup-';

export class LookupHost {
  readonly stats: LookupHostStats = { fromFile: 0, fromDatabase: 0, staleFound: 0, building: false };
  private known: MirrorState | undefined;
  private knownAt = 0;
  /** Bumped by every invalidation: a state read begun before it must not be installed. */
  private epoch = 0;
  private file: LookupFile | undefined;
  private building: Promise<void> | undefined;
  private rechecking = false;
  private readonly recheckMs: number;
  private readonly now: () => number;

  constructor(
    private readonly db: HechataiDb,
    private readonly files: FileStore | undefined,
    opts: LookupHostOptions = {},
  ) {
    this.recheckMs = opts.recheckMs ?? 1_000;
    this.now = opts.now ?? (() => performance.now());
  }

  /** The mirror changed (or may have): the next look-up reads the state afresh. */
  invalidate(): void {
    this.epoch++;
    this.known = undefined;
  }

  async lookup(identifiers: readonly string[]): Promise<Map<string, IdentifierHits>> {
    const known = this.known;
    if (known) {
      const hits = this.fromFile(identifiers, known);
      if (hits) {
        this.stats.fromFile++;
        if (this.now() - this.knownAt > this.recheckMs) void this.recheck();
        return hits;
      }
    }
    const epoch = this.epoch;
    const hits = await lookupInHere(this.db, identifiers);
    this.stats.fromDatabase++;
    const state = await mirrorState(this.db);
    if (epoch === this.epoch) {
      this.known = state;
      this.knownAt = this.now();
      this.ensureFile(state);
    }
    return hits;
  }

  /**
   * Reads the state afresh and brings the caches up to date ahead of the next look-up (after
   * an invalidation from the page: an import's delta is replayed here, not at the counter).
   */
  async warm(): Promise<void> {
    if (!this.known) await this.lookup(['']);
  }

  /** lookupFromFile; a file that fails to read is dropped (and rebuilt), the look-up left to IndexedDB. */
  private fromFile(identifiers: readonly string[], known: MirrorState): Map<string, IdentifierHits> | undefined {
    try {
      return lookupFromFile(this.db, identifiers, known, this.file);
    } catch (e) {
      const bad = this.file;
      if (!bad) throw e;
      this.stats.buildError = e instanceof Error ? e.message : String(e);
      bad.close();
      this.file = undefined;
      delete this.stats.file;
      this.invalidate();
      void this.files?.remove(this.fileName(bad.header)).catch(() => undefined);
      return undefined;
    }
  }

  /** Resolves when no file is being built (tests and the bench wait on it). */
  async settled(): Promise<void> {
    while (this.building) await this.building;
  }

  close(): void {
    this.invalidate();
    this.file?.close();
    this.file = undefined;
  }

  private async recheck(): Promise<void> {
    if (this.rechecking) return;
    this.rechecking = true;
    try {
      const epoch = this.epoch;
      const known = this.known;
      const state = await mirrorState(this.db);
      if (epoch !== this.epoch || !known) return;
      if (sameMirrorState(known, state)) this.knownAt = this.now();
      else {
        this.stats.staleFound++;
        this.invalidate();
      }
    } catch {
      this.invalidate();
    } finally {
      this.rechecking = false;
    }
  }

  /** `lookup-<database name, URI-encoded>@<gen>-<builtAt>.bin` (an `@` in the name is encoded: the name ends at the first). */
  private fileName(state: Pick<MirrorState, 'gen' | 'builtAt'>): string {
    return `${this.filePrefix()}${state.gen}-${state.builtAt}.bin`;
  }

  private filePrefix(): string {
    return `${PREFIX}${encodeURIComponent(this.db.name)}@`;
  }

  /** Opens, or builds in the background, the look-up file of `state`'s generation. */
  private ensureFile(state: MirrorState): void {
    if (!this.files || state.gen === 0 || this.building) return;
    const h = this.file?.header;
    if (h && h.gen === state.gen && h.builtAt === state.builtAt) return;
    const files = this.files;
    this.stats.building = true;
    this.building = (async () => {
      const name = this.fileName(state);
      const started = this.now();
      let file = await this.openComplete(files, name, state);
      let buildMs = 0;
      if (!file) {
        const need = state.records * LOOKUP_FILE_BYTES_PER_RECORD;
        const free = await files.free?.();
        if (free !== undefined && free < need) {
          this.stats.buildError = `存储空间不足：查询文件约需 ${mbText(need)}，可用约 ${mbText(free)}`;
          return;
        }
        const out = await files.create(name);
        if (!out) return;
        let header;
        try {
          header = await buildLookupFile(this.db, out);
        } finally {
          out.close();
        }
        if (!header) {
          await files.remove(name);
          return;
        }
        file = await this.openComplete(files, name, state);
        buildMs = this.now() - started;
      }
      if (!file) return;
      this.file?.close();
      this.file = file;
      this.stats.file = { gen: state.gen, builtAt: state.builtAt, buildMs: Math.round(buildMs), bytes: file.bytes };
      delete this.stats.buildError;
      // Files of other generations of this database are of no more use.
      for (const other of await files.list()) {
        if (other !== name && other.startsWith(this.filePrefix())) await files.remove(other).catch(() => undefined);
      }
    })()
      .catch((e: unknown) => {
        this.stats.buildError = e instanceof Error ? e.message : String(e);
      })
      .finally(() => {
        this.building = undefined;
        this.stats.building = false;
      });
  }

  private async openComplete(files: FileStore, name: string, state: MirrorState): Promise<LookupFile | undefined> {
    const raw = await files.open(name);
    if (!raw) return undefined;
    const file = LookupFile.open(raw);
    if (file && file.header.gen === state.gen && file.header.builtAt === state.builtAt && file.header.run === state.run) return file;
    raw.close();
    return undefined;
  }
}
