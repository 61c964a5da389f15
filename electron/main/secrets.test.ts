import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSecretStore, detectSecretBackend, secretFileAt, type SafeStorageLike, type SecretFile } from './secrets';

/** Reversible "encryption" that is visibly not the plain text. */
function fakeSafeStorage(options: { available?: boolean; backend?: string } = {}): SafeStorageLike {
  return {
    isEncryptionAvailable: () => options.available ?? true,
    encryptString: (s) => Buffer.from(`enc:${s}`, 'utf8').reverse(),
    decryptString: (b) => {
      const text = Buffer.from(b).reverse().toString('utf8');
      if (!text.startsWith('enc:')) throw new Error('bad ciphertext');
      return text.slice(4);
    },
    getSelectedStorageBackend: () => options.backend ?? 'gnome_libsecret',
  };
}

function memoryFile(initial: string | null = null): SecretFile & { text: string | null } {
  const file = {
    text: initial,
    read: async () => file.text,
    write: async (t: string) => {
      file.text = t;
    },
  };
  return file;
}

const log = { warn: () => {} };

describe('detectSecretBackend', () => {
  it('Linux without a keyring (basic_text) is session-only, even though "encryption" is available', () => {
    expect(detectSecretBackend(fakeSafeStorage({ backend: 'basic_text', available: true }), 'linux')).toEqual({
      mode: 'session-only',
      reason: 'basic_text',
    });
  });

  it('Linux with libsecret or KWallet encrypts', () => {
    expect(detectSecretBackend(fakeSafeStorage({ backend: 'kwallet5' }), 'linux')).toEqual({ mode: 'encrypted', provider: 'kwallet5' });
  });

  it('no encryption available is session-only on every platform', () => {
    for (const platform of ['win32', 'linux', 'darwin'] as const) {
      expect(detectSecretBackend(fakeSafeStorage({ available: false }), platform)).toEqual({
        mode: 'session-only',
        reason: 'encryption_unavailable',
      });
    }
  });

  it('Windows uses DPAPI and never asks for a Linux backend', () => {
    const storage = { ...fakeSafeStorage(), getSelectedStorageBackend: () => { throw new Error('Linux only'); } };
    expect(detectSecretBackend(storage, 'win32')).toEqual({ mode: 'encrypted', provider: 'dpapi' });
  });
});

describe('secret store', () => {
  it('with an OS keyring the token is stored encrypted and survives a restart', async () => {
    const file = memoryFile();
    const first = createSecretStore({ safeStorage: fakeSafeStorage(), platform: 'linux', file, log });
    expect(await first.set('platformToken', 'tok-123')).toEqual({ mode: 'encrypted', provider: 'gnome_libsecret' });
    expect(file.text).not.toContain('tok-123');
    const second = createSecretStore({ safeStorage: fakeSafeStorage(), platform: 'linux', file, log });
    expect(await second.get('platformToken')).toBe('tok-123');
  });

  it('with basic_text the token is kept in memory only and never written', async () => {
    const file = memoryFile();
    const store = createSecretStore({ safeStorage: fakeSafeStorage({ backend: 'basic_text' }), platform: 'linux', file, log });
    expect(await store.set('platformToken', 'tok-123')).toEqual({ mode: 'session-only', reason: 'basic_text' });
    expect(await store.get('platformToken')).toBe('tok-123');
    expect(file.text).toBeNull();
    const restarted = createSecretStore({ safeStorage: fakeSafeStorage({ backend: 'basic_text' }), platform: 'linux', file, log });
    expect(await restarted.get('platformToken')).toBeNull();
  });

  it('delete removes the token from memory and from disk', async () => {
    const file = memoryFile();
    const store = createSecretStore({ safeStorage: fakeSafeStorage(), platform: 'win32', file, log });
    await store.set('platformToken', 'tok');
    await store.delete('platformToken');
    expect(await store.get('platformToken')).toBeNull();
    expect(JSON.parse(file.text ?? '{}')).toEqual({ version: 1, entries: {} });
  });

  it('a token that can no longer be decrypted reads as absent', async () => {
    const file = memoryFile(JSON.stringify({ version: 1, entries: { platformToken: Buffer.from('garbage').toString('base64') } }));
    const store = createSecretStore({ safeStorage: fakeSafeStorage(), platform: 'win32', file, log });
    expect(await store.get('platformToken')).toBeNull();
  });

  it('a corrupt secrets file reads as empty', async () => {
    const store = createSecretStore({ safeStorage: fakeSafeStorage(), platform: 'win32', file: memoryFile('{not json'), log });
    expect(await store.get('platformToken')).toBeNull();
  });
});

describe('secretFileAt', () => {
  it('reads null before the first write, then the text; the file is private to the user', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'hechatai-secrets-')), 'secrets.json');
    const file = secretFileAt(path);
    expect(await file.read()).toBeNull();
    await file.write('{"version":1,"entries":{}}');
    expect(readFileSync(path, 'utf8')).toBe('{"version":1,"entries":{}}');
    if (process.platform !== 'win32') expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});
