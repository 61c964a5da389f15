/**
 * Exploration behind the mirror layout: read latency of one page `get`, three parallel gets, and
 * a two-round-trip chain (index page, then record pages), for pages of 64–256 records.
 * `node scripts/bench.mjs --page explore-reads --records 300000`.
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
  r.onupgradeneeded = () => { r.result.createObjectStore('p'); r.result.createObjectStore('m'); };
  return req(r);
}
const pct = (a: number[], p: number) => { const s = [...a].sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.floor(p * s.length))]!; };
const stats = (a: number[]) => ({ p50: pct(a, 0.5).toFixed(2), p95: pct(a, 0.95).toFixed(2), p99: pct(a, 0.99).toFixed(2), max: pct(a, 1).toFixed(1) });

function tuple(r: ListRecord): unknown[] {
  return [r.id, r.version, r.listType, r.colour, r.subjectName, r.subjectType, r.uscc ?? null, r.idNumber ?? null,
    r.otherIds.length ? r.otherIds.map((o) => [o.kind, o.value]) : 0, r.legalRepName ?? null, r.legalRepId ?? null,
    r.deptName, r.deptCode, r.basis, r.reason, r.designatedOn, r.validFrom, r.validTo ?? null, r.removedOn ?? null,
    r.repairedOn ?? null, r.severity, r.objection, r.district ?? null];
}

async function run() {
  const pool: ListRecord[] = [];
  for (const r of generateRecords({ seed: 1, subjects: 5000, records: 10000, today: '2026-11-21' })) pool.push(r);
  const sizes = (q.get('sizes') ?? '64,128,256').split(',').map(Number);
  for (const S of sizes) {
    const db = await openDb(`y-${S}`);
    let page = 0;
    for (let i = 0; i < N; ) {
      const tx = db.transaction(['p'], 'readwrite', { durability: 'relaxed' });
      const st = tx.objectStore('p');
      const end = Math.min(N, i + 20000);
      for (; i < end; i += S) {
        const recs: string[] = [];
        for (let k = i; k < Math.min(end, i + S); k++) recs.push(JSON.stringify(tuple(pool[k % pool.length]!)));
        st.put({ recs }, page++);
      }
      await done(tx);
    }
    const mtx = db.transaction(['m'], 'readwrite'); mtx.objectStore('m').put({ gen: 1 }, 'cur'); await done(mtx);
    await new Promise((r) => setTimeout(r, 2000));
    const one: number[] = [], three: number[] = [], chain: number[] = [], chainNoMeta: number[] = [];
    for (let k = 0; k < 1500; k++) {
      let t0 = performance.now();
      let tx = db.transaction('p', 'readonly');
      let v = await req(tx.objectStore('p').get(Math.floor(Math.random() * page))) as { recs: string[] };
      JSON.parse(v.recs[3]!);
      one.push(performance.now() - t0);
      t0 = performance.now();
      tx = db.transaction('p', 'readonly');
      const st = tx.objectStore('p');
      const vs = await Promise.all([0, 1, 2].map(() => req(st.get(Math.floor(Math.random() * page))))) as { recs: string[] }[];
      for (const x of vs) JSON.parse(x.recs[5]!);
      three.push(performance.now() - t0);
      t0 = performance.now();
      tx = db.transaction(['p', 'm'], 'readonly');
      const [, a] = await Promise.all([req(tx.objectStore('m').get('cur')), req(tx.objectStore('p').get(Math.floor(Math.random() * page)))]);
      JSON.parse((a as { recs: string[] }).recs[1]!);
      const vs2 = await Promise.all([0, 1].map(() => req(tx.objectStore('p').get(Math.floor(Math.random() * page))))) as { recs: string[] }[];
      for (const x of vs2) JSON.parse(x.recs[5]!);
      chain.push(performance.now() - t0);
      t0 = performance.now();
      tx = db.transaction(['p'], 'readonly');
      v = await req(tx.objectStore('p').get(Math.floor(Math.random() * page))) as { recs: string[] };
      JSON.parse(v.recs[1]!);
      const vs3 = await Promise.all([0, 1].map(() => req(tx.objectStore('p').get(Math.floor(Math.random() * page))))) as { recs: string[] }[];
      for (const x of vs3) JSON.parse(x.recs[5]!);
      chainNoMeta.push(performance.now() - t0);
    }
    state.result[`S${S}`] = { one: stats(one), three: stats(three), chain: stats(chain), chainNoMeta: stats(chainNoMeta) };
    log(`S${S} ${JSON.stringify(state.result[`S${S}`])}`);
    db.close();
    await req(indexedDB.deleteDatabase(`y-${S}`));
  }
  state.status = 'done';
}
run().catch((e: unknown) => { state.status = 'error'; state.error = String(e instanceof Error ? e.stack : e); });
