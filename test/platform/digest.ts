/**
 * A digest of a platform's current state (every list record, measure and matter), computed the
 * same way by the platform (GET /admin/digest) and by a test from the changes it pulled: equal
 * digests mean the pulled mirror is exactly the platform's state.
 */
import { createHash } from 'node:crypto';
import type { Change, ChangeKind } from '../../shared/sync/protocol';
import { canonicalJson } from '../../shared/sync/package';

// The client computes the same digest over its mirror: one canonical JSON for both sides.
export { canonicalJson };

export interface DigestEntry {
  kind: ChangeKind;
  id: string;
  data: unknown;
}

export function stateDigest(entries: Iterable<DigestEntry>): { count: number; digest: string } {
  const lines: string[] = [];
  for (const e of entries) lines.push(`${e.kind}\t${e.id}\t${canonicalJson(e.data)}`);
  lines.sort();
  const hash = createHash('sha256');
  for (const line of lines) hash.update(line).update('\n');
  return { count: lines.length, digest: hash.digest('hex') };
}

/** A mirror built from pulled changes, as the client engine would keep it (in memory here). */
export class MemoryMirror {
  readonly entities = new Map<string, DigestEntry>();
  /** The platform's opaque cursor; null before the first page. */
  cursor: string | null = null;
  /** Seq of the last change applied, to drop repeats (freshChanges). */
  lastSeq = 0;
  applied = 0;

  apply(change: Change): void {
    const key = `${change.kind}:${change.op === 'delete' ? change.id : change.data.id}`;
    if (change.op === 'delete') this.entities.delete(key);
    else this.entities.set(key, { kind: change.kind, id: change.data.id, data: change.data });
    this.lastSeq = change.seq;
    this.applied += 1;
  }

  digest(): { count: number; digest: string } {
    return stateDigest(this.entities.values());
  }
}
