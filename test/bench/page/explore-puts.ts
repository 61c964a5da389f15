/**
 * What one IndexedDB put costs on this machine, by value size and shape: the page thread's time
 * inside put() and the whole write (until the transactions complete). Behind the choice of the
 * mirror's page size (renderer/db/mirror-store.ts) and of its stores' out-of-line keys: a shape
 * ending in `@k` goes to a store with a key path, as the mirror's stores had until database v5.
 * `node scripts/bench.mjs --page explore-puts` (sizes and shapes: `?sizes=…&shapes=…`).
 */
import { done, req } from './explore-kit';

const state = { status: 'running', log: [] as string[], result: {} as Record<string, unknown>, error: '' };
(window as unknown as { __bench: typeof state }).__bench = state;
const log = (s: string): void => void state.log.push(s);
const q = new URLSearchParams(location.search);
const TOTAL_BYTES = Number(q.get('mb') ?? 64) * 1024 * 1024;

async function openDb(name: string): Promise<IDBDatabase> {
  await req(indexedDB.deleteDatabase(name));
  const r = indexedDB.open(name, 1);
  r.onupgradeneeded = () => {
    r.result.createObjectStore('p');
    r.result.createObjectStore('k', { keyPath: ['gen', 'page'] });
  };
  return req(r);
}

async function run(): Promise<void> {
  const sizes = (q.get('sizes') ?? '4608,16384').split(',').map(Number);
  const shapes = (q.get('shapes') ?? 'fresh,reused,string,page,page@k,page1,page1@k,reused@k').split(',');
  const perTx = Number(q.get('txbytes') ?? 2 * 1024 * 1024);
  for (const shape of shapes)
    for (const size of sizes) {
      // A shape ending in '@k' goes to a store with an in-line key ([gen, page], as the mirror's stores).
      const inline = shape.endsWith('@k');
      const base = inline ? shape.slice(0, -2) : shape;
      const db = await openDb(`p-${shape}-${size}`);
      const n = Math.max(64, Math.floor(TOTAL_BYTES / size));
      const reused = new Uint8Array(size).map((_, i) => (i * 31) & 0xff);
      const text = 'x'.repeat(size);
      let putMs = 0;
      const t = performance.now();
      const inflight: Promise<void>[] = [];
      for (let i = 0; i < n; ) {
        const tx = db.transaction(inline ? 'k' : 'p', 'readwrite', { durability: 'relaxed' });
        const st = tx.objectStore(inline ? 'k' : 'p');
        const end = Math.min(n, i + Math.max(1, Math.floor(perTx / size)));
        const t0 = performance.now();
        for (; i < end; i++) {
          let v: unknown;
          if (base === 'fresh') {
            const b = new Uint8Array(size);
            b[0] = i & 0xff;
            v = { gen: 1, page: i, utf8: b };
          } else if (base === 'page') {
            // As the mirror's record pages: the bytes and the records' ends, each a fresh array.
            const b = new Uint8Array(size);
            b[0] = i & 0xff;
            v = { gen: 1, page: i, utf8: b, ends: new Uint32Array(32) };
          } else if (base === 'page1') {
            // The same with the ends inside the bytes: one array.
            const b = new Uint8Array(size + 128);
            b[0] = i & 0xff;
            v = { gen: 1, page: i, utf8: b };
          } else if (base === 'reused') v = { gen: 1, page: i, utf8: reused };
          else v = { gen: 1, page: i, s: text };
          if (inline) st.put(v);
          else st.put(v, i);
        }
        putMs += performance.now() - t0;
        inflight.push(done(tx));
        while (inflight.length > 8) await inflight.shift();
      }
      await Promise.all(inflight);
      const ms = performance.now() - t;
      const key = `${shape}/${size}`;
      state.result[key] = { puts: n, usPerPut: Math.round((putMs / n) * 1000), usPerPutAll: Math.round((ms / n) * 1000), mbPerS: Math.round(((n * size) / 1e6 / ms) * 1000) };
      log(`${key}: ${JSON.stringify(state.result[key])}`);
      db.close();
      await req(indexedDB.deleteDatabase(`p-${shape}-${size}`));
    }
  state.status = 'done';
}
run().catch((e: unknown) => {
  state.status = 'error';
  state.error = String(e instanceof Error ? e.stack : e);
});
