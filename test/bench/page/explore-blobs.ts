/**
 * Record pages inline (one ~4.5 KB value each, as the mirror stores them) against groups of
 * pages stored above Chromium's 64 KB wrapping threshold (a Uint8Array the browser turns into a
 * blob file, or an explicit Blob), for the write and for random page reads.
 * `node scripts/bench.mjs --page explore-blobs --records 1000000` (records sets the volume).
 */
import { done, percentiles, req } from './explore-kit';
const state = { status: 'running', log: [] as string[], result: {} as Record<string, unknown>, error: '' };
(window as unknown as { __bench: typeof state }).__bench = state;
const log = (s: string): void => void state.log.push(s);
const q = new URLSearchParams(location.search);
const RECORDS = Number(q.get('records') ?? 1_000_000);
const PAGE_BYTES = 4_544; // 32 records × 142 B
const PAGES = Math.ceil(RECORDS / 32);

async function openDb(name: string): Promise<IDBDatabase> {
  await req(indexedDB.deleteDatabase(name));
  const r = indexedDB.open(name, 1);
  r.onupgradeneeded = () => void r.result.createObjectStore('p');
  return req(r);
}

/** Text-like bytes: a record-ish template with its digits varied, so compression sees real text. */
const template = new TextEncoder().encode(
  '["91310000MA1FL0000X","上海某某贸易有限公司",3,"张某某","310101198001010000",7,12,19876,20241,"未按期履行法院判决",0],',
);
function fill(buf: Uint8Array, seed: number): void {
  let x = seed | 1;
  for (let i = 0; i < buf.length; i++) {
    const t = template[i % template.length] ?? 32;
    if (t >= 48 && t <= 57) {
      x = (x * 1103515245 + 12345) >>> 0;
      buf[i] = 48 + ((x >>> 16) % 10);
    } else buf[i] = t;
  }
}

type Shape = 'inline' | 'group' | 'blob';
async function write(db: IDBDatabase, shape: Shape, group: number): Promise<Record<string, number>> {
  const rows = Math.ceil(PAGES / group);
  const bytes = PAGE_BYTES * group;
  let putMs = 0;
  const t = performance.now();
  const inflight: Promise<void>[] = [];
  const perTx = Math.max(1, Math.floor((256 * PAGE_BYTES) / bytes));
  for (let r = 0; r < rows; ) {
    const tx = db.transaction('p', 'readwrite', { durability: 'relaxed' });
    const st = tx.objectStore('p');
    const end = Math.min(rows, r + perTx);
    for (; r < end; r++) {
      const b = new Uint8Array(bytes);
      fill(b, r);
      const t0 = performance.now();
      st.put(shape === 'blob' ? { blob: new Blob([b]) } : { utf8: b }, r);
      putMs += performance.now() - t0;
    }
    inflight.push(done(tx));
    while (inflight.length > 8) await inflight.shift();
  }
  await Promise.all(inflight);
  const ms = performance.now() - t;
  return { rows, rowBytes: bytes, putMsTotal: Math.round(putMs), writeMs: Math.round(ms), mbPerS: Math.round((rows * bytes) / 1e3 / ms) };
}

async function reads(db: IDBDatabase, shape: Shape, group: number, n: number): Promise<Record<string, unknown>> {
  let x = 987654321;
  const rnd = (m: number): number => {
    x = (x * 1103515245 + 12345) >>> 0;
    return x % m;
  };
  // Explicit blobs: the handles read once (getAll) and kept, so a page read is one slice read.
  let handles: Blob[] = [];
  let handlesMs = 0;
  if (shape === 'blob') {
    const t = performance.now();
    const all = await req(db.transaction('p', 'readonly').objectStore('p').getAll());
    handles = (all as { blob: Blob }[]).map((v) => v.blob);
    handlesMs = performance.now() - t;
  }
  const one: number[] = [];
  const five: number[] = [];
  for (let i = 0; i < n; i++) {
    const pages = Array.from({ length: i % 2 === 0 ? 1 : 5 }, () => rnd(PAGES));
    const t = performance.now();
    if (shape === 'blob') {
      await Promise.all(
        pages.map(async (p) => {
          const h = handles[Math.floor(p / group)];
          if (!h) throw new Error('no handle');
          const off = (p % group) * PAGE_BYTES;
          const b = new Uint8Array(await h.slice(off, off + PAGE_BYTES).arrayBuffer());
          if (b.length !== PAGE_BYTES) throw new Error('short read');
        }),
      );
    } else {
      const st = db.transaction('p', 'readonly').objectStore('p');
      await Promise.all(
        pages.map(async (p) => {
          const v = (await req(st.get(Math.floor(p / group)))) as { utf8: Uint8Array };
          const off = (p % group) * PAGE_BYTES;
          if (v.utf8.subarray(off, off + PAGE_BYTES).length !== PAGE_BYTES) throw new Error('short read');
        }),
      );
    }
    (pages.length === 1 ? one : five).push(performance.now() - t);
    if (i % 50 === 0) await new Promise((r) => setTimeout(r, 5));
  }
  return { handlesMs: Math.round(handlesMs), onePage: percentiles(one), fivePages: percentiles(five) };
}

async function run(): Promise<void> {
  const cases: [Shape, number][] = [
    ['inline', 1],
    ['group', 16],
    ['blob', 16],
    ['blob', 64],
  ];
  for (const [shape, group] of cases) {
    const name = `b-${shape}-${group}`;
    const db = await openDb(name);
    const w = await write(db, shape, group);
    log(`${name} write ${JSON.stringify(w)}`);
    await new Promise((r) => setTimeout(r, 5_000));
    const r = await reads(db, shape, group, 2_000);
    log(`${name} reads ${JSON.stringify(r)}`);
    state.result[name] = { write: w, reads: r };
    db.close();
    await req(indexedDB.deleteDatabase(name));
  }
  state.status = 'done';
}
run().catch((e: unknown) => {
  state.status = 'error';
  state.error = String(e instanceof Error ? e.stack : e);
});
