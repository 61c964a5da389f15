import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { ListRecord } from '../../shared/domain/schemas';
import { generateRecords } from '../../shared/sample/generator';
import { openDatabase } from './database';
import { lookupIdentifier, mirrorState, setAutoCompaction } from './mirror-store';
import { subjectIdentifiers } from './record-codec';
import { mirrorWorkerHandler, type MirrorWorkerEvent } from './mirror-worker-protocol';

const TODAY = '2026-11-21';

function harness(): {
  send: ReturnType<typeof mirrorWorkerHandler>;
  events: MirrorWorkerEvent[];
  finished: (match?: (e: MirrorWorkerEvent) => boolean) => Promise<MirrorWorkerEvent>;
} {
  const events: MirrorWorkerEvent[] = [];
  let notify: (() => void) | undefined;
  const send = mirrorWorkerHandler((e) => {
    events.push(e);
    notify?.();
  });
  const finished = async (match: (e: MirrorWorkerEvent) => boolean = (e) => e.type === 'done' || e.type === 'error'): Promise<MirrorWorkerEvent> => {
    for (;;) {
      const end = events.find(match);
      if (end) return end;
      await new Promise<void>((r) => (notify = r));
    }
  };
  return { send, events, finished };
}

describe('the mirror worker', () => {
  afterEach(() => setAutoCompaction(null));

  it('generates and loads the sample, reporting progress', async () => {
    const { send, events, finished } = harness();
    send({ type: 'load-sample', dbName: 'worker-sample', seed: 5, subjects: 800, records: 5_000, today: TODAY });
    const end = await finished();
    expect(end.type).toBe('done');
    expect(end.type === 'done' && end.stats?.records).toBe(5_000);
    const progress = events.filter((e) => e.type === 'progress');
    expect(progress.at(-1)).toEqual({ type: 'progress', done: 5_000, total: 5_000 });
    const db = openDatabase('worker-sample');
    const r = generateRecords({ seed: 5, subjects: 800, records: 1, today: TODAY }).next().value as ListRecord;
    expect((await lookupIdentifier(db, subjectIdentifiers(r)[0] as string)).subject.map((x) => x.id)).toContain(r.id);
    db.close();
  });

  it('streams batches with acknowledgements, and a cancelled stream keeps the old mirror', async () => {
    const records = [...generateRecords({ seed: 6, subjects: 500, records: 1_500, today: TODAY })];
    const first = harness();
    first.send({ type: 'begin', dbName: 'worker-stream', total: records.length });
    for (let i = 0; i < records.length; i += 500) first.send({ type: 'batch', records: records.slice(i, i + 500) });
    first.send({ type: 'end' });
    expect((await first.finished()).type).toBe('done');
    expect(first.events.filter((e) => e.type === 'ack')).toHaveLength(3);

    const db = openDatabase('worker-stream');
    const before = await mirrorState(db);
    const second = harness();
    second.send({ type: 'begin', dbName: 'worker-stream' });
    second.send({ type: 'batch', records: records.slice(0, 500) });
    second.send({ type: 'begin', dbName: 'worker-stream' });
    second.send({ type: 'abort' });
    expect(await second.finished()).toMatchObject({ type: 'error', name: 'BusyError' });
    // The refused job ends at once with its own idle; the running one is still going.
    expect(second.events.filter((e) => e.type === 'idle')).toHaveLength(1);
    expect(await second.finished((e) => e.type === 'error' && e.name !== 'BusyError')).toMatchObject({ type: 'error', name: 'AbortError' });
    await second.finished((e) => e.type === 'idle' && second.events.filter((x) => x.type === 'idle').length === 2);
    expect(await mirrorState(db)).toEqual(before);
    db.close();
  });

  it('imports a list into the delta log, checked again, whole, meta with it; then compacts and says idle', async () => {
    const records = [...generateRecords({ seed: 7, subjects: 300, records: 1_200, today: TODAY })];
    // As in a real worker (where it is on by default), with a policy the 1,200 records pass.
    setAutoCompaction({ minDelta: 1_000, share: 0 });
    const { send, events, finished } = harness();
    send({ type: 'import', dbName: 'worker-import', actor: { login: 'admin', role: '管理员' }, meta: { 'import.last.list': { rows: 1_200 } } });
    for (let i = 0; i < records.length; i += 500) send({ type: 'batch', records: records.slice(i, i + 500) });
    send({ type: 'end' });
    const end = await finished();
    expect(end).toEqual({ type: 'done', imported: { applied: 1_200, ignored: 0, compacting: true } });
    expect(events.some((e) => e.type === 'progress')).toBe(true);
    const db = openDatabase('worker-import');
    expect((await db.meta.get('import.last.list'))?.value).toEqual({ rows: 1_200 });
    const r = records[9] as ListRecord;
    expect((await lookupIdentifier(db, subjectIdentifiers(r)[0] as string)).subject.map((x) => x.id)).toContain(r.id);
    // The worker keeps its database until the compaction is over, then says so.
    await finished((e) => e.type === 'idle');
    expect(events.map((e) => e.type).filter((t) => t !== 'progress' && t !== 'ack')).toEqual(['done', 'idle']);
    expect(await mirrorState(db)).toMatchObject({ records: 1_200, deltaCount: 0 });
    expect((await lookupIdentifier(db, subjectIdentifiers(r)[0] as string)).subject.map((x) => x.id)).toContain(r.id);
    const before = await mirrorState(db);

    // Someone who may not import: refused in the worker too, nothing written.
    const clerk = harness();
    clerk.send({ type: 'import', dbName: 'worker-import', actor: { login: 'c', role: '窗口人员' } });
    clerk.send({ type: 'batch', records: records.slice(0, 10).map((x) => ({ ...x, version: 5 })) });
    clerk.send({ type: 'end' });
    expect(await clerk.finished()).toMatchObject({ type: 'error', name: 'PermissionDenied' });
    await clerk.finished((e) => e.type === 'idle');
    expect(await mirrorState(db)).toEqual(before);
    db.close();
  });
});
