import 'fake-indexeddb/auto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ListRecord } from '../../shared/domain/schemas';
import { generateRecords } from '../../shared/sample/generator';
import { openDatabase } from '../db/database';
import { loadMirror, lookupIdentifier, mirrorState, setAutoCompaction } from '../db/mirror-store';
import { mirrorWorkerHandler, type MirrorWorkerEvent, type MirrorWorkerRequest } from '../db/mirror-worker-protocol';
import { subjectIdentifiers } from '../db/record-codec';
import type { Session } from '../db/session';
import { signedInTeam } from '../db/testing-sessions';
import { applyImport } from './apply';
import { workerListWriter } from './apply-worker';

/** mirror-worker.ts in this process: messages cloned and delivered a task later, nothing after terminate(). */
class InProcessWorker {
  onmessage: ((e: MessageEvent<MirrorWorkerEvent>) => void) | null = null;
  terminated = false;
  /** Event types in the order the page received them. */
  readonly received: string[] = [];
  private readonly handle = mirrorWorkerHandler((e) => {
    setTimeout(() => {
      if (this.terminated) return;
      if (e.type !== 'progress' && e.type !== 'ack') this.received.push(e.type);
      this.onmessage?.({ data: structuredClone(e) } as MessageEvent<MirrorWorkerEvent>);
    }, 0);
  });
  postMessage(req: MirrorWorkerRequest): void {
    setTimeout(() => {
      if (!this.terminated) this.handle(structuredClone(req));
    }, 0);
  }
  addEventListener(): void {}
  terminate(): void {
    this.terminated = true;
  }
}

let ADMIN: Session;
beforeAll(async () => {
  const db = openDatabase('apply-worker-team');
  ({ admin: ADMIN } = await signedInTeam(db));
  db.close();
});
afterEach(() => setAutoCompaction(null));

describe('workerListWriter', () => {
  it('resolves when the import is applied, and ends the worker only once its compaction is over', async () => {
    const name = 'apply-worker-import';
    const db = openDatabase(name);
    const base = [...generateRecords({ seed: 12, records: 400, today: '2026-11-21' })];
    await loadMirror(db, [base]);
    // As in a real worker; a policy these 120 records make due.
    setAutoCompaction({ minDelta: 100, share: 0 });
    const file = [...generateRecords({ seed: 13, records: 120, today: '2026-11-21' })].map((r) => ({ ...r, id: `W-${r.id}` }));
    const worker = new InProcessWorker();
    const summary = await applyImport(
      db,
      ADMIN,
      { ok: true, kind: 'list', sheet: '名单', records: file, preview: { rows: file.length, warnings: [], moreWarnings: 0 } },
      { writer: workerListWriter(name, () => worker as unknown as Worker) },
    );
    expect(worker.terminated).toBe(false);
    expect(summary).toMatchObject({ applied: 120, ignored: 0 });
    expect(summary.mirrorReorganised).toBeInstanceOf(Promise);
    // Applied: found at once, through the delta.
    const probe = file[7] as ListRecord;
    expect((await lookupIdentifier(db, subjectIdentifiers(probe)[0] as string)).subject.map((r) => r.id)).toContain(probe.id);

    expect(await summary.mirrorReorganised).toBe(true);
    expect(worker.received).toEqual(['done', 'idle']);
    expect(worker.terminated).toBe(true);
    expect(await mirrorState(db)).toMatchObject({ records: 520, deltaCount: 0 });
    expect((await lookupIdentifier(db, subjectIdentifiers(probe)[0] as string)).subject.map((r) => r.id)).toContain(probe.id);

    // Not due (compaction off): no background work is announced, and the worker is ended all the same.
    setAutoCompaction(null);
    const again = new InProcessWorker();
    const more = [{ ...probe, version: probe.version + 1 }];
    const small = await applyImport(db, ADMIN, { ok: true, kind: 'list', sheet: '名单', records: more, preview: { rows: 1, warnings: [], moreWarnings: 0 } }, { writer: workerListWriter(name, () => again as unknown as Worker) });
    expect(small).toMatchObject({ applied: 1 });
    expect(small.mirrorReorganised).toBeUndefined();
    await new Promise((r) => setTimeout(r, 50));
    expect(again.terminated).toBe(true);
    db.close();
  });
});
