/**
 * The platform token, encrypted with the OS through Electron's safeStorage and kept in a
 * small file in userData — or, when the OS cannot protect it, in memory for this session only.
 *
 * On Linux without a keyring (common on 统信UOS / 麒麟 kiosks) safeStorage reports
 * `basic_text`: it would "encrypt" with a fixed, public password. That is no protection, so
 * the token is not written to disk then, and the API says so (the UI asks for it each session).
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { SecretBackend, SecretKey } from '../../shared/ipc/contract';

/** The part of Electron's safeStorage this module uses. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only in Electron. */
  getSelectedStorageBackend(): string;
}

export interface SecretFile {
  /** The file's text, or null when it does not exist. */
  read(): Promise<string | null>;
  /** Replaces the file atomically, readable by the user only. */
  write(text: string): Promise<void>;
}

export interface SecretStoreDeps {
  safeStorage: SafeStorageLike;
  platform: NodeJS.Platform;
  file: SecretFile;
  log: { warn(...params: unknown[]): void };
}

/** The secrets file in userData: written to a temp file then renamed, so a crash never leaves half a file. */
export function secretFileAt(path: string): SecretFile {
  return {
    async read() {
      try {
        return await readFile(path, 'utf8');
      } catch (error) {
        if ((error as { code?: unknown }).code === 'ENOENT') return null;
        throw error;
      }
    },
    async write(text) {
      const temp = `${path}.${process.pid}.tmp`;
      await writeFile(temp, text, { encoding: 'utf8', mode: 0o600 });
      await rename(temp, path);
    },
  };
}

const PROVIDERS: Partial<Record<NodeJS.Platform, string>> = { win32: 'dpapi', darwin: 'keychain' };

/** Where secrets can go on this machine right now (call after app `ready`). */
export function detectSecretBackend(safeStorage: SafeStorageLike, platform: NodeJS.Platform): SecretBackend {
  if (platform === 'linux') {
    const backend = safeStorage.getSelectedStorageBackend();
    if (backend === 'basic_text') return { mode: 'session-only', reason: 'basic_text' };
    if (!safeStorage.isEncryptionAvailable()) return { mode: 'session-only', reason: 'encryption_unavailable' };
    return { mode: 'encrypted', provider: backend };
  }
  if (!safeStorage.isEncryptionAvailable()) return { mode: 'session-only', reason: 'encryption_unavailable' };
  return { mode: 'encrypted', provider: PROVIDERS[platform] ?? platform };
}

type Entries = Partial<Record<SecretKey, string>>;

function parseEntries(text: string | null): Entries {
  if (text === null) return {};
  try {
    const data = JSON.parse(text) as { version?: unknown; entries?: unknown };
    if (data.version !== 1 || typeof data.entries !== 'object' || data.entries === null) return {};
    const entries: Entries = {};
    for (const [key, value] of Object.entries(data.entries)) {
      if (key === 'platformToken' && typeof value === 'string') entries[key] = value;
    }
    return entries;
  } catch {
    return {};
  }
}

export function createSecretStore(deps: SecretStoreDeps) {
  const memory = new Map<SecretKey, string>();
  const backend = () => detectSecretBackend(deps.safeStorage, deps.platform);

  async function readEntries(): Promise<Entries> {
    return parseEntries(await deps.file.read());
  }

  async function writeEntries(entries: Entries): Promise<void> {
    await deps.file.write(JSON.stringify({ version: 1, entries }));
  }

  return {
    getBackend: backend,

    async get(key: SecretKey): Promise<string | null> {
      if (backend().mode === 'session-only') return memory.get(key) ?? null;
      const stored = (await readEntries())[key];
      if (stored === undefined) return null;
      try {
        return deps.safeStorage.decryptString(Buffer.from(stored, 'base64'));
      } catch (error) {
        // A changed OS key (new Windows profile, reset keyring) makes old ciphertext unreadable.
        deps.log.warn(`secret ${key} could not be decrypted; it must be entered again`, String(error));
        return null;
      }
    },

    async set(key: SecretKey, value: string): Promise<SecretBackend> {
      const where = backend();
      if (where.mode === 'session-only') {
        memory.set(key, value);
        return where;
      }
      const entries = await readEntries();
      entries[key] = deps.safeStorage.encryptString(value).toString('base64');
      await writeEntries(entries);
      memory.delete(key);
      return where;
    },

    async delete(key: SecretKey): Promise<undefined> {
      memory.delete(key);
      const entries = await readEntries();
      if (entries[key] !== undefined) {
        delete entries[key];
        await writeEntries(entries);
      }
      return undefined;
    },
  };
}

export type SecretStore = ReturnType<typeof createSecretStore>;
