import { describe, expect, it } from 'vitest';
import type { ListRecord, Matter } from '../domain/schemas';
import { demoRecords } from '../sample/demo';
import { compactRecordElements } from './fast-change';
import { textTable } from './text-table.fixture';
import {
  PULL_LIMIT_MAX,
  PushItem,
  freshChanges,
  parsePage,
  parsePullQuery,
  parseRetryAfter,
  type ChangeInput,
  type PullPageInput,
} from './protocol';

const [r1, r2] = demoRecords('2026-11-20') as [ListRecord, ListRecord, ...ListRecord[]];
const matter: Matter = {
  id: 'SCJG-01', name: '企业设立登记', department: '市场监督管理局', statutoryDays: 3,
  secondaryMaterials: ['住所（经营场所）使用证明复印件'], subjectTypes: ['法人'],
};

function validPage(): PullPageInput & { changes: ChangeInput[] } {
  return {
    changes: [
      { seq: 11, op: 'upsert', kind: 'record', data: r1 },
      { seq: 12, op: 'upsert', kind: 'matter', data: matter },
      { seq: 14, op: 'upsert', kind: 'record', data: r2 },
      { seq: 15, op: 'delete', kind: 'record', id: 'R00000007' },
    ],
    nextCursor: '1.15.900',
    hasMore: true,
    snapshotSeq: 900,
    schemaVersion: 1,
  };
}

/** What the client gets from the wire: plain JSON. */
const wire = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('parsePage', () => {
  it('accepts a valid page: upserts of each kind and a tombstone', () => {
    const result = parsePage(wire(validPage()));
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.value.changes.map((c) => `${c.op}:${c.kind}`)).toEqual(['upsert:record', 'upsert:matter', 'upsert:record', 'delete:record']);
      expect(result.value.snapshotSeq).toBe(900);
    }
  });

  /** validPage with its records compact: texts by key (`keys`) or inline. */
  function compactPage(keys = true): { changes: unknown[]; texts: Record<string, string> } & Omit<PullPageInput, 'changes'> {
    const table = textTable(7);
    const texts = table.texts;
    const key = keys ? table.key : (v: string): string => v;
    const page = validPage();
    return {
      ...page,
      texts,
      changes: page.changes.map((c) => (c.kind === 'record' && c.op === 'upsert' ? [c.seq, ...compactRecordElements(c.data as ListRecord, key)] : c)),
    };
  }

  it('reads a compact page (records as arrays, texts by key or inline) as the same changes as the full one', () => {
    const full = parsePage(wire(validPage()));
    for (const keys of [true, false]) {
      const compact = parsePage(wire(compactPage(keys)));
      expect(compact).toStrictEqual(full);
    }
  });

  it('refuses a compact page whose record is short, refers to a missing text or breaks the schema, naming index and field', () => {
    const short = compactPage();
    (short.changes[0] as unknown[]).pop();
    expect(parsePage(wire(short))).toMatchObject({ ok: false, error: { index: 0, field: 'changes[0]', message: expect.stringContaining('应有 24 项') } });

    const missing = compactPage();
    const basisKey = (missing.changes[2] as unknown[])[14] as number;
    delete missing.texts[String(basisKey)];
    expect(parsePage(wire(missing))).toMatchObject({ ok: false, error: { index: 2, field: 'changes[2][14]', message: expect.stringContaining(`basis 引用的文本编号 ${basisKey}`) } });

    const badDate = compactPage();
    (badDate.changes[2] as unknown[])[17] = '2023-02-30';
    expect(parsePage(wire(badDate))).toMatchObject({ ok: false, error: { index: 2, field: 'changes[2].data.validFrom' } });

    const badTexts = { ...compactPage(), texts: { x: '不是编号' } };
    expect(parsePage(wire(badTexts))).toMatchObject({ ok: false, error: { field: 'texts.x' } });
  });

  it('refuses the whole page for one bad change, naming its index and field', () => {
    const page = validPage();
    page.changes[2] = { seq: 14, op: 'upsert', kind: 'record', data: { ...r2, validTo: '2026-02-30' } };
    const result = parsePage(wire(page));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toMatchObject({ index: 2, field: 'changes[2].data.validTo' });
      expect(result.error.message).toContain('第 2 条');
      expect(result.error.message).toContain('changes[2].data.validTo');
      expect(result.error.message).toContain('日期不存在');
      expect(result.error.message).toContain('整页已拒收');
    }
  });

  it('names a bad op, a bad kind and a missing tombstone id', () => {
    const cases: [unknown, string][] = [
      [{ seq: 1, op: 'patch', kind: 'record', data: r1 }, 'changes[0].op'],
      [{ seq: 1, op: 'upsert', kind: 'subject', data: r1 }, 'changes[0].kind'],
      [{ seq: 1, op: 'delete', kind: 'record' }, 'changes[0].id'],
      [{ seq: 0, op: 'delete', kind: 'record', id: 'x' }, 'changes[0].seq'],
    ];
    for (const [change, field] of cases) {
      const result = parsePage({ ...validPage(), changes: [change] });
      expect(result.ok ? 'ok' : result.error.field).toBe(field);
    }
  });

  it('refuses a bad envelope, naming the field', () => {
    const { nextCursor: _omit, ...rest } = validPage();
    expect(parsePage(wire(rest))).toMatchObject({ ok: false, error: { field: 'nextCursor' } });
    expect(parsePage({ ...validPage(), hasMore: 'yes' })).toMatchObject({ ok: false, error: { field: 'hasMore' } });
    expect(parsePage({ nextCursor: '1.1' })).toMatchObject({ ok: false, error: { field: 'changes' } });
    expect(parsePage('<html>')).toMatchObject({ ok: false });
  });

  it('accepts a repeated change, but not the same seq with other content', () => {
    const page = validPage();
    const repeated = parsePage(wire({ ...page, changes: [...page.changes, ...page.changes] }));
    expect(repeated.ok).toBe(true);
    const clash = { ...page, changes: [...page.changes, { seq: 11, op: 'delete', kind: 'record', id: 'other' }] };
    expect(parsePage(wire(clash))).toMatchObject({ ok: false, error: { index: 4, field: 'changes[4].seq' } });
  });

  it('ignores fields a newer platform adds within v1', () => {
    const result = parsePage(wire({ ...validPage(), generatedIn: 12 }));
    expect(result.ok).toBe(true);
  });
});

describe('freshChanges', () => {
  it('drops what the client already applied and every repeat, by seq', () => {
    const parsed = parsePage(wire({ ...validPage(), changes: [...validPage().changes, ...validPage().changes] }));
    if (!parsed.ok) throw new Error(parsed.error.message);
    const { fresh, duplicates } = freshChanges(parsed.value.changes, 11);
    expect(fresh.map((c) => c.seq)).toEqual([12, 14, 15]);
    expect(duplicates).toBe(5);
  });
});

describe('parsePullQuery', () => {
  const q = (s: string) => parsePullQuery(new URLSearchParams(s));
  it('reads after and limit, with defaults and a cap', () => {
    expect(q('')).toEqual({ ok: true, value: { limit: 500 } });
    expect(q('after=1.200&limit=50')).toEqual({ ok: true, value: { after: '1.200', limit: 50 } });
    expect(q('limit=999999')).toEqual({ ok: true, value: { limit: PULL_LIMIT_MAX } });
    expect(q('limit=50&format=compact')).toEqual({ ok: true, value: { limit: 50, format: 'compact' } });
    expect(q('format=full')).toEqual({ ok: true, value: { limit: 500, format: 'full' } });
  });
  it('names an unknown page format', () => {
    expect(q('format=xml')).toMatchObject({ ok: false, error: expect.stringContaining('format 应为 full 或 compact：xml') as string });
  });
  it('says what is wrong with a bad limit or cursor', () => {
    expect(q('limit=0')).toMatchObject({ ok: false, error: expect.stringContaining('limit') as string });
    expect(q('after=')).toMatchObject({ ok: false, error: expect.stringContaining('after') as string });
    expect(q('after=a%20b')).toMatchObject({ ok: false });
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2026, 10, 20, 8, 0, 0);
  it('reads seconds and HTTP dates, caps long waits, ignores garbage', () => {
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter(new Date(now + 30_000).toUTCString(), now)).toBe(30_000);
    expect(parseRetryAfter(new Date(now - 30_000).toUTCString(), now)).toBe(0);
    expect(parseRetryAfter('86400', now)).toBe(3_600_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

describe('PushItem', () => {
  it('requires the id to be outboxId(payload)', () => {
    const objection = {
      id: 'o-1', recordId: 'DEMO-R01', recordVersion: 1, raisedBy: '某公司', disputes: '已整改',
      contact: '', attachments: [], createdAt: 1, clerk: '王小明',
    };
    expect(PushItem.safeParse({ id: 'objection:o-1', payload: { kind: 'objection', record: objection } }).success).toBe(true);
    const wrong = PushItem.safeParse({ id: 'o-1', payload: { kind: 'objection', record: objection } });
    expect(wrong.success ? [] : wrong.error.issues.map((i) => i.path.join('.'))).toEqual(['id']);
  });
});
