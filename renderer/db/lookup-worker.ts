/**
 * Web Worker entry of the look-up service (lookup-service.ts): a LookupHost over the
 * origin-private file system, whose synchronous access handles only dedicated workers get.
 */
import { freeStorageBytes } from '../app/storage';
import { openDatabase } from './database';
import type { RandomAccessFile } from './lookup-file';
import { LookupHost, type FileStore } from './lookup-host';
import { LookupRequest, type LookupReply } from './lookup-service';
import { mirrorChannelName, setAutoCompaction } from './mirror-store';

// Compactions belong to the mirror worker: here they would hold up look-ups.
setAutoCompaction(null);

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<unknown>) => void) | null;
  postMessage: (m: LookupReply) => void;
};

type SyncHandle = RandomAccessFile;
interface SyncFileHandle extends FileSystemFileHandle {
  createSyncAccessHandle(options?: { mode?: 'read-only' | 'readwrite' }): Promise<SyncHandle>;
}
interface ListableDirectory extends FileSystemDirectoryHandle {
  keys(): AsyncIterable<string>;
}

async function opfsStore(): Promise<FileStore> {
  const root = (await navigator.storage.getDirectory()) as ListableDirectory;
  const handle = async (name: string, create: boolean): Promise<SyncFileHandle> => (await root.getFileHandle(name, { create })) as SyncFileHandle;
  return {
    async open(name) {
      try {
        return await (await handle(name, false)).createSyncAccessHandle();
      } catch {
        return undefined;
      }
    },
    async create(name) {
      try {
        const file = await (await handle(name, true)).createSyncAccessHandle();
        file.truncate(0);
        return file;
      } catch {
        return undefined;
      }
    },
    async remove(name) {
      await root.removeEntry(name);
    },
    free: freeStorageBytes,
    async list() {
      const names: string[] = [];
      for await (const name of root.keys()) names.push(name);
      return names;
    },
  };
}

let host: Promise<LookupHost> | undefined;
let channel: BroadcastChannel | undefined;

async function handle(message: LookupRequest): Promise<void> {
  if (message.kind === 'open') {
    const db = openDatabase(message.dbName);
    host = opfsStore()
      .catch(() => undefined)
      .then((files) => new LookupHost(db, files));
    channel = new BroadcastChannel(mirrorChannelName(message.dbName));
    channel.onmessage = () => void host?.then((h) => h.invalidate());
    return;
  }
  if (!host) throw new Error('名单查询进程尚未打开数据库');
  const h = await host;
  if (message.kind === 'invalidate') {
    h.invalidate();
    await h.warm();
  } else if (message.kind === 'lookup') {
    const t0 = performance.timeOrigin + performance.now();
    const hits = [...(await h.lookup(message.ids))];
    const t1 = performance.timeOrigin + performance.now();
    scope.postMessage({ id: message.id, hits, timing: [t0, t1] });
  } else {
    if (message.settle) await h.settled();
    scope.postMessage({ id: message.id, stats: h.stats });
  }
}

scope.onmessage = (e) => {
  const parsed = LookupRequest.safeParse(e.data);
  if (!parsed.success) return;
  const message = parsed.data;
  handle(message).catch((err: unknown) => {
    if ('id' in message) {
      const { name, message: text } = err instanceof Error ? err : { name: 'Error', message: String(err) };
      scope.postMessage({ id: message.id, error: { name, message: text } });
    }
  });
};
