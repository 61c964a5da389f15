import { describe, expect, it } from 'vitest';
import type { ListRecord } from '../domain/schemas';
import { demoRecords } from '../sample/demo';
import {
  ListPackageAdapter,
  buildListPackage,
  buildOutboxPackage,
  canonicalJson,
  encodePackage,
  openListPackage,
  openOutboxPackage,
  sha256Hex,
  type ListPackage,
} from './package';
import type { PullPageInput } from './protocol';

const [r1, r2] = demoRecords('2026-11-20') as [ListRecord, ListRecord, ...ListRecord[]];

describe('SHA-256', () => {
  it('matches the FIPS 180-4 test vectors', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
    expect(sha256Hex('a'.repeat(1_000_000))).toBe('cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
  });

  it('hashes the UTF-8 of Chinese text, at every length around the block boundaries', () => {
    // 信用 in UTF-8 is e4 bf a1 e7 94 a8.
    expect(sha256Hex('信用')).toBe(sha256Hex(new Uint8Array([0xe4, 0xbf, 0xa1, 0xe7, 0x94, 0xa8])));
    const seen = new Set<string>();
    for (let n = 50; n < 140; n++) seen.add(sha256Hex('x'.repeat(n)));
    expect(seen.size).toBe(90);
  });
});

describe('canonical JSON', () => {
  it('sorts keys and leaves out undefined members', () => {
    expect(canonicalJson({ b: 1, a: [2, { d: undefined, c: '中' }] })).toBe('{"a":[2,{"c":"中"}],"b":1}');
  });
});

function page(changes: unknown[], nextCursor: string, hasMore: boolean, snapshotSeq?: number): PullPageInput {
  return { changes: changes as PullPageInput['changes'], nextCursor, hasMore, schemaVersion: 1, ...(snapshotSeq === undefined ? {} : { snapshotSeq }) };
}

const fullPages = [
  page([{ seq: 1, op: 'upsert', kind: 'record', data: r1 }], '1.1.3', true, 3),
  page([{ seq: 2, op: 'upsert', kind: 'record', data: r2 }, { seq: 3, op: 'delete', kind: 'record', id: 'X' }], '1.3', false, 3),
];

function listPackage(over: Partial<Parameters<typeof buildListPackage>[0]> = {}) {
  return buildListPackage({
    platformId: 'P-1',
    platformName: '参考城市平台',
    deviceId: 'D-1',
    createdAt: 1_795_305_600_000,
    after: null,
    afterSeq: 0,
    schemaVersion: 1,
    pages: fullPages,
    compactedThrough: 0,
    ...over,
  });
}

describe('outbox package', () => {
  const pkg = buildOutboxPackage({
    deviceId: 'D-1',
    createdAt: 1_795_305_600_000,
    cursor: '1.40',
    lastSeq: 40,
    records: [],
  });

  it('round-trips through bytes with its checksum', () => {
    const opened = openOutboxPackage(encodePackage(pkg));
    expect(opened).toEqual({ ok: true, value: pkg });
    expect(pkg.protocol).toBe(1);
    expect(pkg.checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a damaged copy, a list package and a file that is not a package', () => {
    const text = JSON.stringify(pkg).replace('"lastSeq":40', '"lastSeq":41');
    expect(openOutboxPackage(text)).toMatchObject({ ok: false, error: { problem: 'damaged' } });
    expect(openOutboxPackage(encodePackage(listPackage()))).toMatchObject({ ok: false, error: { problem: 'wrong_kind' } });
    expect(openOutboxPackage('PK\u0003\u0004 not json')).toMatchObject({ ok: false, error: { problem: 'not_a_package' } });
    const bytes = encodePackage(pkg);
    const at = Math.floor(bytes.length / 2);
    bytes[at] = (bytes[at] ?? 0) ^ 0x01;
    const damaged = openOutboxPackage(bytes);
    expect(damaged.ok).toBe(false);
    if (!damaged.ok) expect(['damaged', 'not_a_package']).toContain(damaged.error.problem);
  });
});

describe('list package', () => {
  it('opens for its device; refuses another device, another platform, a damaged copy', () => {
    const bytes = encodePackage(listPackage());
    expect(openListPackage(bytes, { deviceId: 'D-1' }).ok).toBe(true);
    expect(openListPackage(bytes, { deviceId: 'D-1', platformId: 'P-1' }).ok).toBe(true);
    const other = openListPackage(bytes, { deviceId: 'D-2' });
    expect(other).toMatchObject({ ok: false, error: { problem: 'other_device' } });
    if (!other.ok) expect(other.error.message).toContain('D-2');
    expect(openListPackage(bytes, { deviceId: 'D-1', platformId: 'P-9' })).toMatchObject({ ok: false, error: { problem: 'other_platform' } });
    const text = new TextDecoder().decode(bytes).replace('临沂', '临汾');
    expect(openListPackage(text, { deviceId: 'D-1' })).toMatchObject({ ok: false, error: { problem: 'damaged' } });
  });

  it('refuses the whole package when one change of one page breaks the schema, naming page and field', () => {
    const bad = listPackage({
      pages: [fullPages[0], page([{ seq: 2, op: 'upsert', kind: 'record', data: { ...r2, validTo: '2026-02-30' } }], '1.3', false, 3)],
    });
    const opened = openListPackage(encodePackage(bad), { deviceId: 'D-1' });
    expect(opened.ok).toBe(false);
    if (!opened.ok) expect(opened.error.message).toMatch(/第 2 页.*changes\[0\]\.data\.validTo.*整页已拒收/);
  });

  it('refuses a package with a missing last page', () => {
    const cut = listPackage({ pages: [fullPages[0]] });
    expect(openListPackage(encodePackage(cut), { deviceId: 'D-1' })).toMatchObject({ ok: false, error: { problem: 'invalid' } });
  });
});

describe('ListPackageAdapter', () => {
  function adapter(over: Partial<Parameters<typeof buildListPackage>[0]> = {}, lastSeq = 0): ListPackageAdapter {
    const opened = openListPackage(encodePackage(listPackage(over)), { deviceId: 'D-1' });
    if (!opened.ok) throw new Error(opened.error.message);
    return new ListPackageAdapter(opened.value as ListPackage, () => lastSeq);
  }

  it('serves the chain of cursors, then an empty last page', async () => {
    const a = adapter();
    expect(await a.pull(null, 500)).toMatchObject({ kind: 'ok', value: { nextCursor: '1.1.3', hasMore: true } });
    expect(await a.pull('1.1.3', 500)).toMatchObject({ kind: 'ok', value: { nextCursor: '1.3', hasMore: false } });
    expect(await a.pull('1.3', 500)).toEqual({ kind: 'ok', value: { changes: [], nextCursor: '1.3', hasMore: false, schemaVersion: 1 } });
  });

  it('a full package: an unknown cursor below the compaction floor starts over; at or above it continues by seq', async () => {
    expect((await adapter({ compactedThrough: 5 }, 2).pull('1.2', 500)).kind).toBe('reset');
    const byseq = await adapter({ compactedThrough: 1 }, 2).pull('1.2', 500);
    expect(byseq).toMatchObject({ kind: 'ok', value: { nextCursor: '1.3' } });
    const nothingNew = await adapter({ compactedThrough: 0 }, 9).pull('1.9', 500);
    expect(nothingNew).toMatchObject({ kind: 'ok', value: { changes: [], nextCursor: '1.9', hasMore: false } });
  });

  it('a delta package that begins after the client cannot be applied (a gap)', async () => {
    const a = adapter({ after: '1.1', afterSeq: 1, pages: [fullPages[1]] }, 0);
    expect(await a.pull(null, 500)).toMatchObject({ kind: 'error', error: { code: 'package_gap', retryable: false } });
    expect((await adapter({ after: '1.1', afterSeq: 1, pages: [fullPages[1]] }, 1).pull('1.1', 500)).kind).toBe('ok');
  });
});
