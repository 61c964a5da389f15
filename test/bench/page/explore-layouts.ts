/**
 * Exploration behind the mirror layout (renderer/db/mirror-store.ts), kept so the figures in
 * its doc comment can be re-measured: write throughput and single-page read latency of record
 * pages stored as arrays of objects, arrays of JSON strings, one JSON string, or UTF-8 bytes,
 * at several page sizes. `node scripts/bench.mjs --page explore-layouts --records 200000`.
 */
import { generateRecords } from '../../../shared/sample/generator';
import type { ListRecord } from '../../../shared/domain/schemas';

const state = { status: 'running', log: [] as string[], result: {} as Record<string, unknown>, error: '' };
(window as unknown as { __bench: typeof state }).__bench = state;
const log = (s: string) => state.log.push(s);
const q = new URLSearchParams(location.search);
const N = Number(q.get('records') ?? 200000);

function req<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((res, rej) => { r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error); });
}
function done(tx: IDBTransaction): Promise<void> {
  return new Promise((res, rej) => { tx.oncomplete = () => res(); tx.onerror = () => rej(tx.error); tx.onabort = () => rej(tx.error); });
}
async function openDb(name: string): Promise<IDBDatabase> {
  await req(indexedDB.deleteDatabase(name));
  const r = indexedDB.open(name, 1);
  r.onupgradeneeded = () => { r.result.createObjectStore('p'); };
  return req(r);
}
const pct = (a: number[], p: number) => { const s = [...a].sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.floor(p * s.length))]!; };

function tuple(r: ListRecord): unknown[] {
  return [r.id, r.version, r.listType, r.colour, r.subjectName, r.subjectType, r.uscc ?? null, r.idNumber ?? null,
    r.otherIds.length ? r.otherIds.map((o) => [o.kind, o.value]) : 0, r.legalRepName ?? null, r.legalRepId ?? null,
    r.deptName, r.deptCode, r.basis, r.reason, r.designatedOn, r.validFrom, r.validTo ?? null, r.removedOn ?? null,
    r.repairedOn ?? null, r.severity, r.objection, r.district ?? null];
}

async function run() {
  const today = '2026-11-21';
  let t = performance.now();
  const pool: ListRecord[] = [];
  for (const r of generateRecords({ seed: 1, subjects: 25000, records: 50000, today })) pool.push(r);
  const genMs = performance.now() - t;
  log(`generate 50k: ${genMs.toFixed(0)} ms → ${(50000 / genMs * 1000).toFixed(0)}/s`);
  state.result.gen50kMs = genMs;
  // encode cost
  t = performance.now(); let L = 0; for (const r of pool) L += JSON.stringify(r).length; state.result.stringifyObjUs = (performance.now() - t) / pool.length * 1000;
  t = performance.now(); L = 0; for (const r of pool) L += JSON.stringify(tuple(r)).length; state.result.stringifyTupleUs = (performance.now() - t) / pool.length * 1000;
  state.result.tupleChars = L / pool.length;

  const formats = (q.get('formats') ?? 'objects,jsonPer,jsonPage,utf8Page').split(',');
  const sizes = (q.get('sizes') ?? '32,128').split(',').map(Number);
  const txRecords = Number(q.get('tx') ?? 10000);
  for (const durability of (q.get('durability') ?? 'relaxed').split(',') as IDBTransactionDurability[]) {
  for (const f of formats) for (const S of sizes) {
    const db = await openDb(`x-${f}-${S}`);
    const enc = new TextEncoder();
    t = performance.now();
    let page = 0;
    for (let i = 0; i < N; ) {
      const tx = db.transaction('p', 'readwrite', { durability });
      const st = tx.objectStore('p');
      const end = Math.min(N, i + txRecords);
      for (; i < end; i += S) {
        const recs: ListRecord[] = [];
        for (let k = i; k < Math.min(end, i + S); k++) recs.push(pool[k % pool.length]!);
        let v: unknown;
        if (f === 'objects') v = { recs };
        else if (f === 'jsonPer') v = { recs: recs.map((r) => JSON.stringify(tuple(r))) };
        else if (f === 'jsonPage') v = { s: JSON.stringify(recs.map(tuple)) };
        else v = { b: enc.encode(JSON.stringify(recs.map(tuple))) };
        st.put(v, page++);
      }
      await done(tx);
    }
    const ms = performance.now() - t;
    // reads
    const lat: number[] = [];
    const dec = new TextDecoder();
    for (let k = 0; k < 400; k++) {
      const p = Math.floor(Math.random() * page);
      const t0 = performance.now();
      const tx = db.transaction('p', 'readonly');
      const v = await req(tx.objectStore('p').get(p)) as Record<string, unknown>;
      let rec: unknown;
      if (f === 'objects') rec = (v.recs as unknown[])[3];
      else if (f === 'jsonPer') rec = JSON.parse((v.recs as string[])[3]!);
      else if (f === 'jsonPage') rec = (JSON.parse(v.s as string) as unknown[])[3];
      else rec = (JSON.parse(dec.decode(v.b as Uint8Array)) as unknown[])[3];
      if (!rec) throw new Error('no rec');
      lat.push(performance.now() - t0);
    }
    const key = `${f}/${S}/${durability}`;
    state.result[key] = { writePerS: Math.round(N / ms * 1000), readP50: pct(lat, 0.5).toFixed(2), readP99: pct(lat, 0.99).toFixed(2) };
    log(`${key}: ${JSON.stringify(state.result[key])}`);
    db.close();
    await req(indexedDB.deleteDatabase(`x-${f}-${S}`));
  }
  }
  state.status = 'done';
}
run().catch((e: unknown) => { state.status = 'error'; state.error = String(e instanceof Error ? e.stack : e); });
