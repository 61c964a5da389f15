import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  AuditAction,
  AuditEntry,
  GENESIS_HASH,
  appendAudit,
  auditEntryHash,
  auditHashInput,
  canonicalJson,
  sha256Hex,
  verifyAuditChain,
  type AuditEvent,
} from './audit';
import { Role, type Subtle } from './accounts';

const T0 = 1_763_604_000_000; // 2025-11-20 10:00 China time

const ACTIONS = AuditAction.options;
const ROLES = Role.options;

function event(i: number): AuditEvent {
  const action = ACTIONS[i % ACTIONS.length] ?? 'sign-in';
  return {
    at: T0 + i * 60_000,
    actor: i % 3 === 0 ? 'admin' : `clerk${i % 4}`,
    role: action === 'sign-in-failed' && i % 2 === 0 ? null : (ROLES[i % ROLES.length] ?? '管理员'),
    action,
    detail: action === 'import' ? { file: `名单${i}.xlsx`, rows: 5_000 + i } : { n: i, ok: i % 2 === 0 },
  };
}

async function chain(n: number): Promise<AuditEntry[]> {
  const out: AuditEntry[] = [];
  let prev: AuditEntry | null = null;
  for (let i = 0; i < n; i += 1) {
    prev = await appendAudit(prev, event(i));
    out.push(prev);
  }
  return out;
}

/** Rebuild the hashes of a (tampered) list as a forger would, from `from` on. */
async function rehash(entries: AuditEntry[], from = 0): Promise<AuditEntry[]> {
  const out = entries.map((e) => ({ ...e }));
  for (let i = from; i < out.length; i += 1) {
    const e = out[i] as AuditEntry;
    e.seq = i + 1;
    e.prevHash = i === 0 ? GENESIS_HASH : (out[i - 1] as AuditEntry).hash;
    e.hash = await auditEntryHash(e);
  }
  return out;
}

const CHAIN_50 = await chain(50);

describe('canonicalJson', () => {
  it('sorts keys by UTF-16 code units, recursively, without whitespace', () => {
    expect(canonicalJson({ b: 1, a: [true, null, { d: 'x', c: -0 }], '€': 2, '\r': 3, '1': 4 })).toBe(
      '{"\\r":3,"1":4,"a":[true,null,{"c":0,"d":"x"}],"b":1,"€":2}',
    );
  });

  it('writes strings and numbers as JSON.stringify does', () => {
    expect(canonicalJson('名单\n"x"\u0001')).toBe('"名单\\n\\"x\\"\\u0001"');
    expect(canonicalJson(1e21)).toBe('1e+21');
    expect(canonicalJson(0.1 + 0.2)).toBe('0.30000000000000004');
  });

  it('leaves out undefined members and refuses what JSON cannot carry', () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    for (const bad of [Number.NaN, Infinity, 1n, () => 1, Symbol('s'), new Date(0), new Map(), [undefined]])
      expect(() => canonicalJson(bad)).toThrow(TypeError);
  });

  it('is the same text for the same value, and parses back to it', () => {
    const json = fc.jsonValue({ noUnicodeString: false }).filter((v) => !Object.is(v, -0));
    fc.assert(
      fc.property(json, (v) => {
        const text = canonicalJson(v);
        expect(text).not.toMatch(/^\s|\s$/);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
        // Key order of the input does not matter.
        const reversed = JSON.parse(JSON.stringify(v), (_k, x: unknown) =>
          x && typeof x === 'object' && !Array.isArray(x)
            ? Object.fromEntries(Object.entries(x).reverse())
            : x,
        ) as unknown;
        expect(canonicalJson(reversed)).toBe(text);
      }),
    );
  });
});

describe('the hash format (what the platform recomputes)', () => {
  it('is SHA-256 of the canonical JSON of every field but hash: a fixed vector', async () => {
    const first = await appendAudit(null, {
      at: T0,
      actor: 'zhangsan',
      role: '窗口人员',
      action: 'sign-in',
      detail: { method: 'password' },
    });
    expect(auditHashInput(first)).toBe(
      `{"action":"sign-in","actor":"zhangsan","at":1763604000000,"detail":{"method":"password"},"prevHash":"${GENESIS_HASH}","role":"窗口人员","seq":1}`,
    );
    // Computed independently: node -e 'crypto.createHash("sha256").update(text).digest("hex")'
    expect(first.hash).toBe('8c1d35ab565966865cddaee8f9084d87029d288010666186988783c643a42b51');
    expect(first).toMatchObject({ seq: 1, prevHash: GENESIS_HASH });
  });

  it('sha256Hex of the empty string', async () => {
    expect(await sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});

describe('appendAudit', () => {
  it('numbers entries and links each to the one before', () => {
    CHAIN_50.forEach((e, i) => {
      expect(AuditEntry.parse(e)).toEqual(e);
      expect(e.seq).toBe(i + 1);
      expect(e.prevHash).toBe(i === 0 ? GENESIS_HASH : CHAIN_50[i - 1]?.hash);
    });
  });

  it('refuses a detail that is not flat JSON-safe data, and an empty actor', async () => {
    const base = event(1);
    await expect(appendAudit(null, { ...base, detail: { nested: { a: 1 } } as never })).rejects.toThrow();
    await expect(appendAudit(null, { ...base, detail: { n: Number.NaN } })).rejects.toThrow();
    await expect(appendAudit(null, { ...base, actor: '' })).rejects.toThrow();
  });

  it('uses the SubtleCrypto it is given', async () => {
    let calls = 0;
    const real = crypto.subtle;
    const subtle = {
      digest: (...args: Parameters<typeof real.digest>) => {
        calls += 1;
        return real.digest(...args);
      },
    } as unknown as Subtle;
    const e = await appendAudit(null, event(0), subtle);
    expect(calls).toBe(1);
    expect(await verifyAuditChain([e], subtle)).toEqual({ ok: true, count: 1, headHash: e.hash });
    expect(calls).toBe(2);
  });
});

describe('verifyAuditChain', () => {
  it('verifies a chain of 50 entries', async () => {
    expect(await verifyAuditChain(CHAIN_50)).toEqual({
      ok: true,
      count: 50,
      headHash: CHAIN_50[49]?.hash,
    });
  });

  it('verifies an empty chain', async () => {
    expect(await verifyAuditChain([])).toEqual({ ok: true, count: 0, headHash: GENESIS_HASH });
  });

  const FIELDS = ['seq', 'at', 'actor', 'role', 'action', 'detail', 'prevHash', 'hash'] as const;
  const hex64 = fc.stringMatching(/^[0-9a-f]{64}$/);
  const newValue: Record<(typeof FIELDS)[number], fc.Arbitrary<unknown>> = {
    seq: fc.integer({ min: -5, max: 100 }),
    at: fc.oneof(fc.nat(), fc.integer({ min: T0 - 1e9, max: T0 + 1e9 })),
    actor: fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.constantFrom('admin', 'clerk1', 'Admin')),
    role: fc.constantFrom(null, ...ROLES),
    action: fc.constantFrom(...ACTIONS),
    detail: fc.dictionary(
      fc.string({ minLength: 1, maxLength: 8 }),
      fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean()),
      { maxKeys: 4 },
    ),
    prevHash: fc.oneof(hex64, fc.constant(GENESIS_HASH)),
    hash: hex64,
  };

  it('detects an edit to any field of any entry, naming that entry', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(49),
        fc.constantFrom(...FIELDS).chain((field) =>
          newValue[field].map((value) => ({ field, value })),
        ),
        async (index, { field, value }) => {
          const original = CHAIN_50[index] as AuditEntry;
          fc.pre(canonicalJson(original[field]) !== canonicalJson(value));
          const tampered = CHAIN_50.map((e, i) => (i === index ? { ...e, [field]: value } : e));
          const result = await verifyAuditChain(tampered as AuditEntry[]);
          expect(result.ok).toBe(false);
          if (!result.ok) {
            expect(result.seq).toBe(index + 1);
            expect(result.problem).toContain(`第 ${index + 1} 条`);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('detects an edited entry whose own hash was recomputed (at the next entry)', async () => {
    const tampered = CHAIN_50.map((e) => ({ ...e }));
    const e = tampered[20] as AuditEntry;
    e.detail = { file: '名单.xlsx', rows: 1 };
    e.hash = await auditEntryHash(e);
    expect(await verifyAuditChain(tampered)).toMatchObject({ ok: false, seq: 22 });
  });

  it('detects a deleted entry', async () => {
    const first = await verifyAuditChain(CHAIN_50.slice(1));
    expect(first).toMatchObject({ ok: false, seq: 1 });
    const middle = [...CHAIN_50.slice(0, 10), ...CHAIN_50.slice(11)];
    const result = await verifyAuditChain(middle);
    expect(result).toMatchObject({ ok: false, seq: 11 });
    if (!result.ok) expect(result.problem).toContain('第 11 条审计记录缺失');
  });

  it('detects a deletion even when the forger renumbers the rest (prevHash breaks)', async () => {
    const renumbered = [...CHAIN_50.slice(0, 10), ...CHAIN_50.slice(11)].map((e, i) => ({ ...e, seq: i + 1 }));
    const result = await verifyAuditChain(renumbered);
    expect(result).toMatchObject({ ok: false, seq: 11 });
    if (!result.ok) expect(result.problem).toContain('前序哈希与第 10 条不符');
  });

  it('detects two entries swapped', async () => {
    const swapped = [...CHAIN_50];
    [swapped[5], swapped[6]] = [swapped[6] as AuditEntry, swapped[5] as AuditEntry];
    expect(await verifyAuditChain(swapped)).toMatchObject({ ok: false, seq: 6 });
    const swappedSeq = swapped.map((e, i) => ({ ...e, seq: i + 1 }));
    expect(await verifyAuditChain(swappedSeq)).toMatchObject({ ok: false, seq: 6 });
  });

  it('detects any reordering', async () => {
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray(CHAIN_50, { minLength: 50, maxLength: 50 }), async (order) => {
        fc.pre(order.some((e, i) => e !== CHAIN_50[i]));
        expect((await verifyAuditChain(order)).ok).toBe(false);
      }),
      { numRuns: 50 },
    );
  });

  it('detects an inserted entry', async () => {
    const forged = await appendAudit(CHAIN_50[29] as AuditEntry, {
      at: T0,
      actor: 'admin',
      role: '管理员',
      action: 'export',
      detail: { rows: 1 },
    });
    const inserted = [...CHAIN_50.slice(0, 30), forged, ...CHAIN_50.slice(30)];
    const result = await verifyAuditChain(inserted);
    expect(result).toMatchObject({ ok: false, seq: 32 });
    if (!result.ok) expect(result.problem).toContain('第 32 条');
    // A duplicated entry is an insertion too.
    const duplicated = [...CHAIN_50.slice(0, 30), CHAIN_50[29] as AuditEntry, ...CHAIN_50.slice(30)];
    expect(await verifyAuditChain(duplicated)).toMatchObject({ ok: false, seq: 31 });
  });

  it('reports a malformed entry by position', async () => {
    const broken = CHAIN_50.map((e, i) => (i === 3 ? ({ ...e, detail: undefined } as unknown as AuditEntry) : e));
    const result = await verifyAuditChain(broken);
    expect(result).toMatchObject({ ok: false, seq: 4 });
    if (!result.ok) expect(result.problem).toMatch(/^第 4 条审计记录格式无效/);
  });

  describe('anchor (a head acknowledged earlier)', () => {
    const anchor = { seq: 40, hash: (CHAIN_50[39] as AuditEntry).hash };

    it('passes while the chain still holds the anchored entry', async () => {
      expect((await verifyAuditChain(CHAIN_50, { anchor })).ok).toBe(true);
      expect((await verifyAuditChain(CHAIN_50.slice(0, 40), { anchor })).ok).toBe(true);
    });

    it('detects a truncated head, which the chain alone cannot', async () => {
      const truncated = CHAIN_50.slice(0, 35);
      expect((await verifyAuditChain(truncated)).ok).toBe(true);
      const result = await verifyAuditChain(truncated, { anchor });
      expect(result).toMatchObject({ ok: false, seq: 40 });
      if (!result.ok) expect(result.problem).toContain('缺少已确认的第 40 条');
    });

    it('detects a tail rewritten with fresh hashes, which the chain alone cannot', async () => {
      const rewritten = CHAIN_50.map((e) => ({ ...e }));
      (rewritten[30] as AuditEntry).detail = { file: '别的.xlsx', rows: 2 };
      const forged = await rehash(rewritten, 30);
      expect((await verifyAuditChain(forged)).ok).toBe(true);
      const result = await verifyAuditChain(forged, { anchor, subtle: crypto.subtle });
      expect(result).toMatchObject({ ok: false, seq: 40 });
      if (!result.ok) expect(result.problem).toContain('第 40 条审计记录与已确认的哈希不符');
    });

    it('refuses a malformed anchor', async () => {
      await expect(verifyAuditChain(CHAIN_50, { anchor: { seq: 0, hash: GENESIS_HASH } })).rejects.toThrow();
    });
  });
});
