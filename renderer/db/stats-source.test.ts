import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Role } from '../../shared/domain/accounts';
import { idNumberCheckChar } from '../../shared/domain/identifiers';
import type { CheckRecord, Commitment, FeedbackRecord, Headline } from '../../shared/domain/schemas';
import { quarterRange, quarterlyReport, summarize, type StatsDimension } from '../../shared/domain/stats';
import type { OutboxEntry, OutboxState } from '../../shared/sync/outbox';
import { openDatabase, type HechataiDb } from './database';
import { NotSignedIn, endSession, issueSession, type Session } from './session';
import { maskIdNumbersInText } from '../../shared/domain/identifiers';
import { readQuarterlyReport, readStatsSource } from './stats-source';

const sessionOf = (role: Role, login = 'zhang'): Session =>
  issueSession({ accountId: login, login, name: '张三', role, department: '市发展改革委', district: '', issuedAt: 0 });
const clerk = sessionOf('窗口人员');
const DAY = 86_400_000;
const Q1 = quarterRange(2026, 1);

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const pick = <T,>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

const DEPARTMENTS = ['市场监督管理局', '税务局', '住房和城乡建设局'];
const CLERKS = ['张三', '李四', '王五', '赵六'];
const MATTERS = ['m1', 'm2', 'm3'];
const HEADLINES: Headline[] = ['clear', 'clear', 'clear', 'black', 'watch', 'red'];
const REASONS = ['申请人已整改', '  申请人\n已整改 ', '法院已撤销失信决定', '', undefined];

interface World {
  checks: CheckRecord[];
  feedback: FeedbackRecord[];
  commitments: Commitment[];
  outbox: OutboxEntry[];
}

/**
 * Checks spread over [start, start + days), a quarter of them on a handful of shared instants
 * (ties on the index), feedback for some, commitments for the fast-track ones in every state.
 */
function makeWorld(seed: number, n: number, start: number, days: number): World {
  const r = rng(seed);
  const shared = Array.from({ length: 5 }, () => start + Math.floor(r() * days * DAY));
  const w: World = { checks: [], feedback: [], commitments: [], outbox: [] };
  for (let i = 0; i < n; i += 1) {
    const createdAt = r() < 0.25 ? pick(r, shared) : start + Math.floor(r() * days * DAY);
    const headline = pick(r, HEADLINES);
    const fastTrack = headline === 'red' && r() < 0.6;
    const c: CheckRecord & { printable?: unknown } = {
      id: `c${String(i).padStart(6, '0')}-${Math.floor(r() * 1e6)}`,
      createdAt,
      clerk: pick(r, CLERKS),
      department: pick(r, DEPARTMENTS),
      district: '',
      matterId: pick(r, MATTERS),
      subjectType: '法人',
      identifier: '91350100M000100Y43',
      headline,
      hits: [],
      decisions: [],
      mirrorAsOf: createdAt,
      stale: false,
      online: true,
      fastTrack,
      greenChannel: headline === 'red' && r() < 0.3,
      // Saved checks carry their print form; statistics must not depend on it.
      printable: { big: 'x'.repeat(200) },
    };
    w.checks.push(c);
    if (headline === 'black' || headline === 'red') {
      const k = 1 + Math.floor(r() * 3);
      for (let j = 0; j < k; j += 1) {
        const type = headline === 'red' ? (r() < 0.8 ? '已激励' : '不执行') : r() < 0.7 ? '已惩戒' : '不执行';
        const reason = type === '不执行' ? pick(r, REASONS) : undefined;
        w.feedback.push({
          id: `${c.id}-f${j}`,
          checkId: c.id,
          subjectName: '某某公司',
          identifier: c.identifier,
          matterId: c.matterId,
          measureId: `M${j}`,
          type,
          ...(reason === undefined ? {} : { reason }),
          result: '',
          basis: '',
          department: c.department,
          district: '',
          // Feedback is usually given at the check, sometimes days later (into the next period).
          at: createdAt + (r() < 0.1 ? Math.floor(r() * 5 * DAY) : 0),
          clerk: c.clerk,
        });
      }
    }
    if (fastTrack) {
      const status = pick(r, ['open', 'supplied', 'breached'] as const);
      const ended = createdAt + Math.floor(r() * 40 * DAY);
      w.commitments.push({
        id: `${c.id}-k`,
        checkId: c.id,
        identifier: c.identifier,
        subjectName: '某某公司',
        matterId: c.matterId,
        missingMaterials: ['场所平面图'],
        deadline: new Date(createdAt + 20 * DAY).toISOString().slice(0, 10),
        createdAt,
        clerk: c.clerk,
        status,
        ...(status === 'supplied' ? { suppliedAt: ended } : {}),
        ...(status === 'breached' ? { breachedAt: ended } : {}),
      });
    }
  }
  const states: OutboxState[] = ['pending', 'pending', 'accepted', 'rejected', 'withdrawn'];
  w.outbox = w.checks.slice(0, 200).map((c, i) => ({
    id: `check:${c.id}`,
    seq: i + 1,
    createdAt: c.createdAt,
    state: pick(r, states),
    attempts: 0,
    payload: { kind: 'check', record: c },
  }));
  return w;
}

const opened: HechataiDb[] = [];
let dbCount = 0;

async function dbWith(w: World): Promise<HechataiDb> {
  dbCount += 1;
  const db = openDatabase(`stats-source-${dbCount}`);
  opened.push(db);
  await db.checks.bulkAdd(w.checks);
  await db.feedback.bulkAdd(w.feedback);
  await db.commitments.bulkAdd(w.commitments);
  await db.outbox.bulkAdd(w.outbox);
  return db;
}

afterEach(async () => {
  for (const db of opened.splice(0)) {
    db.close();
    await db.delete();
  }
});

/** The same summary computed from every record in memory, with reasons shielded as the repository does. */
function expected(w: World, from: number, to: number, by?: StatsDimension) {
  const pendingOutbox = w.outbox.filter((e) => e.state === 'pending').length;
  const feedback = w.feedback.map((f) => (f.reason === undefined ? f : { ...f, reason: maskIdNumbersInText(f.reason) }));
  return summarize({ checks: w.checks, feedback, commitments: w.commitments, pendingOutbox, from, to }, by);
}

describe('stats source', () => {
  it('reads tens of thousands of checks in chunks and gives the same figures as the records in memory', async () => {
    // 20,000 checks over seven months around Q1 2026.
    const w = makeWorld(7, 20_000, Q1.from - 60 * DAY, 210);
    const db = await dbWith(w);
    const progress: number[] = [];
    const source = await readStatsSource(db, clerk, Q1, { onProgress: (n) => progress.push(n) });

    const inRange = w.checks.filter((c) => c.createdAt >= Q1.from && c.createdAt < Q1.to);
    expect(inRange.length).toBeGreaterThan(8_000);
    // Every check of the range once (plus the checks of commitments made before it, for their department).
    const readIds = source.input.checks.map((c) => c.id);
    expect(new Set(readIds).size).toBe(readIds.length);
    const inRangeIds = new Set(inRange.map((c) => c.id));
    expect(readIds.filter((id) => inRangeIds.has(id)).length).toBe(inRange.length);
    // Only what statistics read was kept.
    expect(Object.keys(source.input.checks[0] ?? {}).sort()).toEqual(
      ['clerk', 'createdAt', 'department', 'fastTrack', 'greenChannel', 'headline', 'id', 'matterId'],
    );
    // Several chunks, each reported.
    expect(progress.length).toBeGreaterThan(5);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));

    for (const by of [undefined, 'month', 'department', 'clerk', 'matter'] as const) {
      expect(summarize(source.input, by)).toEqual(expected(w, Q1.from, Q1.to, by));
    }
    expect(source.outbox.pending).toBe(w.outbox.filter((e) => e.state === 'pending').length);
    expect(source.outbox.rejected).toBe(w.outbox.filter((e) => e.state === 'rejected').length);
    expect(source.input.pendingOutbox).toBe(source.outbox.pending);
  });

  it('reads each row exactly once when many share one instant and the chunk is smaller than the tie', async () => {
    const w = makeWorld(11, 500, Q1.from + 10 * DAY, 3);
    const t = Q1.from + 12 * DAY;
    for (const c of w.checks.slice(0, 150)) c.createdAt = t;
    for (const f of w.feedback.slice(0, 100)) f.at = t;
    const db = await dbWith(w);
    for (const chunk of [1, 7, 149, 150, 151]) {
      const source = await readStatsSource(db, clerk, Q1, { chunk });
      const ids = source.input.checks.map((c) => c.id);
      expect(new Set(ids).size, `chunk ${chunk}`).toBe(w.checks.length);
      expect(ids.length, `chunk ${chunk}`).toBe(w.checks.length);
      expect(source.input.feedback.length, `chunk ${chunk}`).toBe(w.feedback.length);
      expect(summarize(source.input, 'day')).toEqual(expected(w, Q1.from, Q1.to, 'day'));
    }
  });

  it('keeps the range half-open in China time: a check at 00:00 of the next quarter is not read', async () => {
    const w = makeWorld(3, 50, Q1.from, 30);
    w.checks[0]!.createdAt = Q1.to;
    w.checks[1]!.createdAt = Q1.to - 1;
    w.checks[2]!.createdAt = Q1.from;
    w.checks[3]!.createdAt = Q1.from - 1;
    const db = await dbWith(w);
    const ids = (await readStatsSource(db, clerk, Q1, { chunk: 5 })).input.checks.map((c) => c.id);
    expect(ids).toContain(w.checks[1]!.id);
    expect(ids).toContain(w.checks[2]!.id);
    expect(ids).not.toContain(w.checks[0]!.id);
    expect(ids).not.toContain(w.checks[3]!.id);
  });

  it('gives a commitment made before the range its check’s department, and drops one that ended before it', async () => {
    const w = makeWorld(5, 0, Q1.from, 1);
    const before = Q1.from - 30 * DAY;
    const old: CheckRecord = {
      id: 'old-check', createdAt: before, clerk: '张三', department: '税务局', district: '', matterId: 'm1', subjectType: '法人',
      identifier: '91350100M000100Y43', headline: 'red', hits: [], decisions: [], mirrorAsOf: before, stale: false, online: true,
      fastTrack: true, greenChannel: false,
    };
    const base = { identifier: old.identifier, subjectName: '某某公司', matterId: 'm1', missingMaterials: ['场所平面图'], clerk: '张三', checkId: old.id };
    w.checks.push(old);
    w.commitments.push(
      { ...base, id: 'k-breached-in-q1', deadline: '2026-01-10', createdAt: before, status: 'breached', breachedAt: Q1.from + 10 * DAY },
      { ...base, id: 'k-supplied-before', deadline: '2026-01-10', createdAt: before, status: 'supplied', suppliedAt: Q1.from - DAY },
      { ...base, id: 'k-after', deadline: '2026-05-10', createdAt: Q1.to + DAY, status: 'open' },
    );
    const db = await dbWith(w);
    const source = await readStatsSource(db, clerk, Q1, { chunk: 1 });
    expect(source.input.commitments.map((c) => c.id)).toEqual(['k-breached-in-q1']);
    expect(source.input.checks.map((c) => c.id)).toEqual(['old-check']);
    const s = summarize(source.input, 'department');
    expect(s.checks).toBe(0);
    expect(s.commitments.breached).toBe(1);
    expect(s.groups.map((g) => [g.key, g.commitments.breached])).toEqual([['税务局', 1]]);
  });

  it('masks a 公民身份号码 written in a 不执行 reason, and nothing else', async () => {
    const body = '37130219580315017';
    const id = body + idNumberCheckChar(body);
    expect(maskIdNumbersInText(`法定代表人${id}已整改`)).not.toContain(id);
    expect(maskIdNumbersInText(`法定代表人${id}已整改`)).toMatch(/^法定代表人\d{6}\*{8}\d{3}[\dX]已整改$/u);
    // Not a valid ID number (bad check character), or part of a longer code: left as written.
    const bad = body + (idNumberCheckChar(body) === '1' ? '2' : '1');
    expect(maskIdNumbersInText(`文号 ${bad}`)).toBe(`文号 ${bad}`);
    expect(maskIdNumbersInText(`91${id}`)).toBe(`91${id}`);

    const w = makeWorld(9, 40, Q1.from, 10);
    const f = w.feedback.find((x) => x.type === '不执行') ?? w.feedback[0]!;
    f.type = '不执行';
    f.reason = `法定代表人${id}已整改`;
    const db = await dbWith(w);
    const s = summarize((await readStatsSource(db, clerk, Q1)).input);
    const reasons = s.notAppliedReasons.map((r) => r.reason);
    expect(reasons.some((r) => r.startsWith('法定代表人3713'))).toBe(true);
    expect(reasons.join('|')).not.toContain(id);
  });

  it('builds the 季度报送 rows from the database as quarterlyReport does from the records', async () => {
    const w = makeWorld(13, 3_000, Q1.from - 20 * DAY, 120);
    const db = await dbWith(w);
    const rows = await readQuarterlyReport(db, clerk, 2026, 1, { chunk: 333, departments: ['发展和改革委员会'] });
    const feedback = w.feedback.map((f) => (f.reason === undefined ? f : { ...f, reason: maskIdNumbersInText(f.reason) }));
    expect(rows).toEqual(
      quarterlyReport({ checks: w.checks, feedback, commitments: w.commitments, year: 2026, quarter: 1, departments: ['发展和改革委员会'] }),
    );
    expect(rows.at(-1)?.department).toBe('合计');
    expect(rows.at(-1)?.checks).toBe(w.checks.filter((c) => c.createdAt >= Q1.from && c.createdAt < Q1.to).length);
    expect(rows.some((r) => r.department === '发展和改革委员会' && r.checks === 0)).toBe(true);
  });

  it('refuses a hand-made or ended session and an invalid range; stops when the clerk cancels', async () => {
    const db = await dbWith(makeWorld(1, 10, Q1.from, 10));
    const forged = { ...clerk, role: '管理员' } as Session;
    await expect(readStatsSource(db, forged, Q1)).rejects.toBeInstanceOf(NotSignedIn);
    await expect(readQuarterlyReport(db, forged, 2026, 1)).rejects.toBeInstanceOf(NotSignedIn);
    const ended = sessionOf('窗口人员', 'li');
    endSession(ended);
    await expect(readStatsSource(db, ended, Q1)).rejects.toBeInstanceOf(NotSignedIn);
    await expect(readStatsSource(db, clerk, { from: Q1.to, to: Q1.from })).rejects.toThrow('开始时间不得晚于结束时间');
    const abort = new AbortController();
    abort.abort();
    await expect(readStatsSource(db, clerk, Q1, { signal: abort.signal })).rejects.toThrow();
    // An inspector and an administrator may read the figures too.
    for (const role of ['检查人员', '管理员'] as const) {
      expect((await readStatsSource(db, sessionOf(role, 'x'), Q1)).input.checks.length).toBe(10);
    }
  });
});
