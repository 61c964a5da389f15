/**
 * explore-opfs's worker: a file of record pages in the origin-private file system, read through
 * a synchronous access handle (no IndexedDB, no hop to the browser process per read).
 */
const PAGE = 4096;
const record = '["R00000000",1,0,1,"山东达宏劳务派遣有限公司",0,"91371322MA9BTLDB1M",null,0,"曹敏","371328196008319337",1,2,3,4,20195,20195,20438,null,null,1,0,5]';
interface SyncHandle {
  read(b: Uint8Array, o: { at: number }): number;
  write(b: Uint8Array, o: { at: number }): number;
  truncate(n: number): void;
  flush(): void;
  getSize(): number;
}
let handle: SyncHandle | undefined;
const decoder = new TextDecoder();

interface Build { kind: 'build'; pages: number }
interface Read { kind: 'read'; pages: number[] }

self.onmessage = async (e: MessageEvent<Build | Read>): Promise<void> => {
  try {
    if (e.data.kind === 'build') {
      const root = await navigator.storage.getDirectory();
      const file = await root.getFileHandle('explore-opfs.bin', { create: true });
      handle = await (file as unknown as { createSyncAccessHandle(): Promise<SyncHandle> }).createSyncAccessHandle();
      handle.truncate(0);
      const body = new TextEncoder().encode(record.repeat(Math.floor(PAGE / record.length) + 1)).subarray(0, PAGE);
      const chunk = new Uint8Array(PAGE * 256);
      for (let i = 0; i < 256; i++) chunk.set(body, i * PAGE);
      const t = performance.now();
      for (let p = 0; p < e.data.pages; p += 256) handle.write(chunk, { at: p * PAGE });
      handle.flush();
      self.postMessage({ built: performance.now() - t, size: handle.getSize() });
      return;
    }
    if (!handle) throw new Error('not built');
    const out: unknown[] = [];
    const buf = new Uint8Array(PAGE);
    for (const p of e.data.pages) {
      handle.read(buf, { at: p * PAGE });
      const text = decoder.decode(buf);
      for (let r = 0; r < 4; r++) out.push(JSON.parse(text.substring(r * record.length, (r + 1) * record.length)));
    }
    self.postMessage({ records: out });
  } catch (err) {
    self.postMessage({ error: String(err instanceof Error ? err.stack : err) });
  }
};
