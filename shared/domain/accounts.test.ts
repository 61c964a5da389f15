import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  Account,
  AccountList,
  DEFAULT_IDLE_LOCK_MINUTES,
  DEFAULT_PBKDF2_ITERATIONS,
  DEFAULT_SECURITY,
  PERMISSIONS,
  PermissionDenied,
  ROLE_PERMISSIONS,
  Role,
  SecurityConfig,
  StoredSecret,
  assertCan,
  base64ToBytes,
  bytesToBase64,
  can,
  constantTimeEqual,
  findAccount,
  hashSecret,
  isLoginTaken,
  needsRehash,
  nextAllowedAttempt,
  shouldLock,
  validateNewSecret,
  verifySecret,
  type Permission,
  type Subtle,
} from './accounts';

const FAST = 1_000;
const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 20, 2, 0);

/** The runtime's SubtleCrypto, wrapped to count and inspect the calls made through it. */
function spySubtle(): { subtle: Subtle; derive: { iterations: number; saltLength: number }[] } {
  const derive: { iterations: number; saltLength: number }[] = [];
  const real = crypto.subtle;
  const subtle = {
    importKey: real.importKey.bind(real),
    digest: real.digest.bind(real),
    deriveBits: (algorithm: Pbkdf2Params, key: CryptoKey, length: number) => {
      derive.push({ iterations: algorithm.iterations, saltLength: (algorithm.salt as Uint8Array).length });
      return real.deriveBits(algorithm, key, length);
    },
  } as unknown as Subtle;
  return { subtle, derive };
}

type Pbkdf2Params = { name: string; hash: string; salt: unknown; iterations: number };
type CryptoKey = Parameters<typeof crypto.subtle.deriveBits>[1];

describe('hashSecret / verifySecret', () => {
  it('stores PBKDF2-SHA256 with a random 16-byte salt and a 32-byte hash', async () => {
    const a = await hashSecret('Abc12345', { iterations: FAST });
    const b = await hashSecret('Abc12345', { iterations: FAST });
    expect(StoredSecret.parse(a)).toEqual(a);
    expect(a.algo).toBe('PBKDF2-SHA256');
    expect(a.iterations).toBe(FAST);
    expect(base64ToBytes(a.salt)).toHaveLength(16);
    expect(base64ToBytes(a.hash)).toHaveLength(32);
    expect(a.salt).not.toBe(b.salt);
    expect(a.hash).not.toBe(b.hash);
  });

  it('matches an independent PBKDF2-HMAC-SHA256 (node:crypto pbkdf2Sync, 1000 iterations)', async () => {
    const salt = new Uint8Array(16).fill(7);
    const stored = await hashSecret('Abc12345', { iterations: FAST, salt });
    expect(stored.salt).toBe('BwcHBwcHBwcHBwcHBwcHBw==');
    expect(stored.hash).toBe('FDocQWXAr8gYttHL/3ebo7nDZmlGi5a+3lBm8tokjo4=');
  });

  it('defaults to 310,000 iterations', async () => {
    expect(DEFAULT_PBKDF2_ITERATIONS).toBe(310_000);
    const { subtle, derive } = spySubtle();
    const stored = await hashSecret('Abc12345', { subtle });
    expect(stored.iterations).toBe(310_000);
    expect(derive).toEqual([{ iterations: 310_000, saltLength: 16 }]);
  });

  it('verifies the right secret and refuses others', async () => {
    const stored = await hashSecret('Abc12345', { iterations: FAST });
    await expect(verifySecret('Abc12345', stored)).resolves.toBe(true);
    await expect(verifySecret('abc12345', stored)).resolves.toBe(false);
    await expect(verifySecret('Abc123456', stored)).resolves.toBe(false);
    await expect(verifySecret('', stored)).resolves.toBe(false);
  });

  it('uses the stored iteration count and the given SubtleCrypto', async () => {
    const stored = await hashSecret('135792', { iterations: 2_000 });
    const { subtle, derive } = spySubtle();
    await expect(verifySecret('135792', stored, subtle)).resolves.toBe(true);
    expect(derive).toEqual([{ iterations: 2_000, saltLength: 16 }]);
  });

  it('normalises to NFKC: a full-width PIN matches its ASCII twin', async () => {
    const stored = await hashSecret('135792', { iterations: FAST });
    await expect(verifySecret('１３５７９２', stored)).resolves.toBe(true);
  });

  it('never matches a malformed stored secret', async () => {
    const stored = await hashSecret('Abc12345', { iterations: FAST });
    const bad = [
      { ...stored, algo: 'MD5' },
      { ...stored, hash: 'not base64!' },
      { ...stored, hash: bytesToBase64(new Uint8Array(16)) },
      { ...stored, iterations: 1 },
    ] as unknown as StoredSecret[];
    for (const s of bad) await expect(verifySecret('Abc12345', s)).resolves.toBe(false);
  });

  it('refuses a short salt or an out-of-range iteration count', async () => {
    await expect(hashSecret('x', { iterations: FAST, salt: new Uint8Array(8) })).rejects.toThrow(RangeError);
    await expect(hashSecret('x', { iterations: 999 })).rejects.toThrow(RangeError);
  });

  it('needsRehash when the policy asks for more iterations', async () => {
    const stored = await hashSecret('Abc12345', { iterations: FAST });
    expect(needsRehash(stored)).toBe(true);
    expect(needsRehash(stored, FAST)).toBe(false);
  });
});

describe('constantTimeEqual and base64', () => {
  it('agrees with plain comparison', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ maxLength: 40 }), (a, b) => {
        const same = a.length === b.length && a.every((x, i) => x === b[i]);
        expect(constantTimeEqual(a, b)).toBe(same);
        expect(constantTimeEqual(a, new Uint8Array(a))).toBe(true);
      }),
    );
  });

  it('round-trips bytes through base64', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect([...base64ToBytes(bytesToBase64(bytes))]).toEqual([...bytes]);
      }),
    );
    expect(() => base64ToBytes('abc')).toThrow(TypeError);
  });
});

describe('validateNewSecret', () => {
  it.each([
    ['135792', null],
    ['20260417', null],
    ['12345', 'PIN 至少 6 位数字'],
    ['12a456', 'PIN 只能由数字组成'],
    ['111111', 'PIN 不能是相同或连续的数字（如 111111、123456）'],
    ['123456', 'PIN 不能是相同或连续的数字（如 111111、123456）'],
    ['654321', 'PIN 不能是相同或连续的数字（如 111111、123456）'],
    ['0123456789', 'PIN 不能是相同或连续的数字（如 111111、123456）'],
    ['1234567890123', 'PIN 不能超过 12 位数字'],
  ])('PIN %s → %s', (pin, expected) => {
    expect(validateNewSecret(pin, 'pin')).toBe(expected);
  });

  it.each([
    ['abcd1234', null],
    ['信用核查2026a', null],
    ['信用核查台2026', null],
    ['abc1234', '密码至少 8 个字符'],
    ['abcdefgh', '密码须同时包含字母和数字'],
    ['12345678', '密码须同时包含字母和数字'],
    ['a1'.repeat(65), '密码不能超过 128 个字符'],
  ])('password %s → %s', (password, expected) => {
    expect(validateNewSecret(password, 'password')).toBe(expected);
  });

  it('every message is Chinese', () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom('pin' as const, 'password' as const), (s, kind) => {
        const m = validateNewSecret(s, kind);
        if (m !== null) expect(m).toMatch(/[\u4e00-\u9fff]/);
      }),
    );
  });
});

describe('Account', () => {
  async function account(overrides: Record<string, unknown> = {}): Promise<Account> {
    return Account.parse({
      id: 'a1',
      name: '张三',
      login: 'zhangsan',
      role: '窗口人员',
      department: '市场监督管理局',
      secret: await hashSecret('135792', { iterations: FAST }),
      createdAt: T0,
      updatedAt: T0,
      ...overrides,
    });
  }

  it('parses with defaults', async () => {
    const a = await account();
    expect(a.disabled).toBe(false);
    expect(a.district).toBe('');
  });

  it('checks the login: 2–32 chars, no spaces', async () => {
    await expect(account({ login: 'z' })).rejects.toThrow();
    await expect(account({ login: 'z'.repeat(33) })).rejects.toThrow();
    await expect(account({ login: 'zhang san' })).rejects.toThrow();
    expect((await account({ login: '  zs  ' })).login).toBe('zs');
    expect((await account({ login: '张三' })).login).toBe('张三');
  });

  it('refuses an unknown role', async () => {
    await expect(account({ role: '超级用户' })).rejects.toThrow();
  });

  it('keeps logins unique regardless of case and width', async () => {
    const a = await account();
    const b = await account({ id: 'a2', login: 'ＺhangSan' });
    expect(AccountList.safeParse([a, b]).success).toBe(false);
    expect(AccountList.safeParse([a, await account({ id: 'a2', login: 'lisi' })]).success).toBe(true);
    expect(isLoginTaken([a], 'ZHANGSAN')).toBe(true);
    expect(isLoginTaken([a], 'zhangsan', 'a1')).toBe(false);
    expect(findAccount([a], ' ZhangSan ')?.id).toBe('a1');
    expect(findAccount([a], 'lisi')).toBeUndefined();
  });
});

describe('permissions', () => {
  const adminOnly: Permission[] = [
    'list.import',
    'account.manage',
    'identifier.unmask',
    'export.unmasked',
    'settings.change',
    'audit.verify',
  ];

  it('gives only 管理员 the sensitive permissions', () => {
    for (const p of adminOnly) {
      expect(can('管理员', p)).toBe(true);
      expect(can('窗口人员', p)).toBe(false);
      expect(can('检查人员', p)).toBe(false);
    }
  });

  it('gives each role its own work', () => {
    expect([...ROLE_PERMISSIONS.窗口人员].sort()).toEqual(['check.perform', 'export.masked', 'stats.view']);
    expect([...ROLE_PERMISSIONS.检查人员].sort()).toEqual(['export.masked', 'inspection.perform', 'stats.view']);
    expect([...ROLE_PERMISSIONS.管理员].sort()).toEqual([...PERMISSIONS].sort());
    expect(can('窗口人员', 'inspection.perform')).toBe(false);
    expect(can('检查人员', 'check.perform')).toBe(false);
  });

  it('refuses unknown roles and permissions', () => {
    expect(can('超级用户' as Role, 'stats.view')).toBe(false);
    expect(can('__proto__' as Role, 'stats.view')).toBe(false);
    expect(can('管理员', 'root' as Permission)).toBe(false);
  });

  it('assertCan throws PermissionDenied with the login, permission and a Chinese message', () => {
    const clerk = { login: 'zhangsan', role: '窗口人员' as const };
    let error: unknown;
    try {
      assertCan(clerk, 'list.import');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PermissionDenied);
    expect(error).toBeInstanceOf(Error);
    const denied = error as PermissionDenied;
    expect(denied.message).toBe('当前账号（窗口人员）无权导入名单');
    expect(denied.permission).toBe('list.import');
    expect(denied.login).toBe('zhangsan');
    expect(denied.name).toBe('PermissionDenied');
    expect(() => assertCan(clerk, 'identifier.unmask')).toThrow('当前账号（窗口人员）无权查看未脱敏的证件号码');
    expect(() => assertCan(clerk, 'export.unmasked')).toThrow('当前账号（窗口人员）无权导出未脱敏数据');
    expect(() => assertCan(clerk, 'check.perform')).not.toThrow();
  });

  it('assertCan agrees with can for every role and permission', () => {
    for (const role of Role.options)
      for (const p of PERMISSIONS) {
        const act = () => assertCan({ login: 'x', role }, p);
        if (can(role, p)) expect(act).not.toThrow();
        else expect(act).toThrow(PermissionDenied);
      }
  });

  it('a disabled account may do nothing', () => {
    expect(() => assertCan({ login: 'admin', role: '管理员', disabled: true }, 'stats.view')).toThrow(
      '账号 admin 已停用',
    );
  });
});

describe('shouldLock', () => {
  it('locks after the idle limit, default 10 minutes', () => {
    expect(DEFAULT_IDLE_LOCK_MINUTES).toBe(10);
    expect(DEFAULT_SECURITY.idleLockMinutes).toBe(10);
    expect(shouldLock(T0, T0 + 10 * MIN - 1, 10)).toBe(false);
    expect(shouldLock(T0, T0 + 10 * MIN, 10)).toBe(true);
    expect(shouldLock(T0, T0 + 3 * MIN, 2)).toBe(true);
    expect(shouldLock(T0, T0 + 9 * MIN)).toBe(false);
  });

  it('does not lock when the clock went back, and never treats a bad limit as "never"', () => {
    expect(shouldLock(T0, T0 - 60 * MIN, 10)).toBe(false);
    expect(shouldLock(T0, T0 + 10 * MIN, 0)).toBe(true);
    expect(shouldLock(T0, T0 + 10 * MIN, Number.NaN)).toBe(true);
  });

  it('SecurityConfig parses a partial settings object', () => {
    expect(SecurityConfig.parse({ idleLockMinutes: 5 }).idleLockMinutes).toBe(5);
    expect(SecurityConfig.safeParse({ idleLockMinutes: 0 }).success).toBe(false);
  });
});

describe('nextAllowedAttempt', () => {
  it('allows retrying at once below 5 failures', () => {
    for (let n = 0; n < 5; n += 1) expect(nextAllowedAttempt(n, T0)).toBe(T0);
  });

  it('locks 5 minutes at 5 failures, doubling, capped at 60', () => {
    const waits = [5, 6, 7, 8, 9, 10, 50].map((n) => (nextAllowedAttempt(n, T0) - T0) / MIN);
    expect(waits).toEqual([5, 10, 20, 40, 60, 60, 60]);
  });

  it('follows the policy', () => {
    const policy = { maxFailures: 3, lockoutMinutes: 1, maxLockoutMinutes: 1_000 };
    expect((nextAllowedAttempt(4, T0, policy) - T0) / MIN).toBe(2);
    expect((nextAllowedAttempt(1_000, T0, policy) - T0) / MIN).toBe(1_000);
  });

  it('never allows earlier after more failures', () => {
    fc.assert(
      fc.property(fc.nat(200), (n) => {
        expect(nextAllowedAttempt(n + 1, T0)).toBeGreaterThanOrEqual(nextAllowedAttempt(n, T0));
      }),
    );
  });
});
