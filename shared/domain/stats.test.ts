import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CheckRecord, Commitment, FeedbackRecord, type Headline } from './schemas';
import {
  NO_REASON,
  QUARTERLY_COLUMNS,
  UNKNOWN_DEPARTMENT,
  periodKey,
  quarterRange,
  quarterlyReport,
  quarterlyTable,
  summarize,
  type StatsDimension,
  type StatsGroup,
  type StatsInput,
  type StatsTotals,
} from './stats';

/** An instant given in China time (UTC+8). */
const china = (y: number, m: number, d: number, h = 10, min = 0): number => Date.UTC(y, m - 1, d, h - 8, min);

const A = '市场监督管理局';
const B = '税务局';
const C = '住房和城乡建设局';

function check(
  id: string,
  at: number,
  department: string,
  clerk: string,
  matterId: string,
  headline: Headline,
  extra: { fastTrack?: boolean; greenChannel?: boolean } = {},
): CheckRecord {
  return CheckRecord.parse({
    id,
    createdAt: at,
    clerk,
    department,
    matterId,
    subjectType: '法人',
    identifier: '91350100M000100Y43',
    headline,
    hits: [],
    decisions: [],
    mirrorAsOf: at,
    stale: false,
    online: true,
    ...extra,
  });
}

function feedback(
  id: string,
  of: CheckRecord,
  type: FeedbackRecord['type'],
  reason?: string,
  at = of.createdAt,
): FeedbackRecord {
  return FeedbackRecord.parse({
    id,
    checkId: of.id,
    subjectName: '某某公司',
    identifier: of.identifier,
    matterId: of.matterId,
    measureId: id,
    type,
    reason,
    result: '',
    basis: '',
    department: of.department,
    district: '',
    at,
    clerk: of.clerk,
  });
}

function commitment(
  id: string,
  checkId: string,
  createdAt: number,
  deadline: string,
  clerk: string,
  matterId: string,
  status: Commitment['status'] = 'open',
  endedAt?: number,
): Commitment {
  return Commitment.parse({
    id,
    checkId,
    identifier: '91350100M000100Y43',
    subjectName: '某某公司',
    matterId,
    missingMaterials: ['场所平面图'],
    deadline,
    createdAt,
    clerk,
    status,
    ...(status === 'supplied' ? { suppliedAt: endedAt } : {}),
    ...(status === 'breached' ? { breachedAt: endedAt } : {}),
  });
}

// ---------------------------------------------------------------- the fixture: 2026 Q1

const c1 = check('c1', china(2026, 1, 5, 10), A, 'zhang', 'm1', 'black');
const c2 = check('c2', china(2026, 1, 5, 23, 30), A, 'zhang', 'm1', 'clear', { fastTrack: true });
/** 00:30 on 1 January in China is still 31 December in UTC: it belongs to Q1. */
const c3 = check('c3', china(2026, 1, 1, 0, 30), A, 'li', 'm2', 'red', { fastTrack: true, greenChannel: true });
const c4 = check('c4', china(2026, 2, 10), B, 'wang', 'm1', 'watch');
const c5 = check('c5', china(2026, 3, 31, 23, 59), B, 'wang', 'm2', 'black');
/** Just after the quarter (China time), and just before it. */
const c6 = check('c6', china(2026, 4, 1, 0, 10), A, 'zhang', 'm1', 'black');
const c7 = check('c7', china(2025, 12, 31, 23, 50), A, 'li', 'm1', 'black');

const f1 = feedback('f1', c1, '已惩戒');
const f2 = feedback('f2', c1, '不执行', '  申请人\n 已整改 ');
const f3 = feedback('f3', c3, '已激励');
const f4 = feedback('f4', c4, '不执行', '申请人 已整改');
const f5 = feedback('f5', c5, '不执行');
const f6 = feedback('f6', c5, '已惩戒');
const f7 = feedback('f7', c6, '已惩戒');

const k1 = commitment('k1', 'c2', c2.createdAt, '2026-01-20', 'zhang', 'm1', 'supplied', china(2026, 1, 15));
const k2open = commitment('k2', 'c3', c3.createdAt, '2026-01-10', 'li', 'm2');
const k2 = commitment('k2', 'c3', c3.createdAt, '2026-01-10', 'li', 'm2', 'breached', china(2026, 1, 11));
/** Made before the quarter, still open after it, not overdue; its check is outside the range. */
const k3 = commitment('k3', 'c7', c7.createdAt, '2026-04-10', 'li', 'm1');
/** Its check is not among the records: department unknown. Overdue at the end of Q1. */
const k4 = commitment('k4', 'c-missing', china(2026, 2, 1), '2026-03-01', 'wang', 'm2');
const k5 = commitment('k5', 'c6', c6.createdAt, '2026-04-20', 'zhang', 'm1');
const k7 = commitment('k7', 'c7', china(2025, 11, 1), '2025-11-20', 'li', 'm1', 'supplied', china(2025, 12, 1));
/**
 * Made in Q1, breached in Q2: open at the end of Q1, and overdue then (due by the end of
 * 31 March, the last day of the quarter), but not a Q1 breach.
 */
const k8 = commitment('k8', 'c4', china(2026, 3, 1), '2026-03-31', 'wang', 'm1', 'breached', china(2026, 4, 2));

const Q1 = quarterRange(2026, 1);

const INPUT: StatsInput = {
  // Duplicates (a replayed queue) must not count twice.
  checks: [c1, c2, c3, c4, c5, c6, c7, { ...c2 }],
  feedback: [f1, f2, f3, f4, f5, f6, f7, { ...f1 }],
  commitments: [k1, k2open, k2, k3, k4, k5, k7, k8],
  pendingOutbox: 7,
  ...Q1,
};

const pick = (t: StatsTotals) => ({
  checks: t.checks,
  hits: t.hits,
  hitsByHeadline: t.hitsByHeadline,
  hitRate: t.hitRate,
  measures: t.measures,
  notAppliedReasons: t.notAppliedReasons,
  fastTrack: t.fastTrack,
  greenChannel: t.greenChannel,
  commitments: t.commitments,
});

describe('quarterRange and periodKey', () => {
  it('are China-time periods', () => {
    expect(Q1).toEqual({ from: Date.UTC(2025, 11, 31, 16), to: Date.UTC(2026, 2, 31, 16) });
    expect(quarterRange(2026, 4)).toEqual({ from: Date.UTC(2026, 8, 30, 16), to: Date.UTC(2026, 11, 31, 16) });
    expect(periodKey(c3.createdAt, 'day')).toBe('2026-01-01');
    expect(new Date(c3.createdAt).toISOString().slice(0, 10)).toBe('2025-12-31');
    expect(periodKey(c3.createdAt, 'month')).toBe('2026-01');
    expect(periodKey(c3.createdAt, 'quarter')).toBe('2026-Q1');
    expect(periodKey(c6.createdAt, 'quarter')).toBe('2026-Q2');
  });
});

describe('summarize', () => {
  it('totals 2026 Q1', () => {
    const s = summarize(INPUT);
    expect(pick(s)).toEqual({
      // c1–c5; c6 is in Q2 and c7 in 2025 (China time); the duplicate c2 counts once.
      checks: 5,
      hits: 4,
      hitsByHeadline: { black: 2, watch: 1, red: 1 }, // c1 c5 / c4 / c3
      hitRate: 0.8,
      // f1 f6 / f3 / f2 f4 f5; f7 is in Q2; the replayed f1 counts once.
      measures: { 已惩戒: 2, 已激励: 1, 不执行: 3 },
      notAppliedReasons: [
        { reason: '申请人 已整改', count: 2 }, // f2 (whitespace collapsed) and f4
        { reason: NO_REASON, count: 1 }, // f5
      ],
      fastTrack: 2, // c2 c3
      greenChannel: 1, // c3
      commitments: {
        made: 4, // k1 k2 k4 k8
        supplied: 1, // k1
        breached: 1, // k2 (its breached version wins over the open one); k8 is breached in Q2
        openAtEnd: 3, // k3 k4 k8
        overdueAtEnd: 2, // k4 (1 March) and k8 (31 March) had passed on 1 April; k3 is due 10 April
      },
    });
    expect(s).toMatchObject({ from: Q1.from, to: Q1.to, pendingSync: 7, by: null, groups: [] });
  });

  it('breaks down by department, a commitment taking its check’s department', () => {
    const s = summarize(INPUT, 'department');
    expect(s.groups.map((g) => g.key)).toEqual([A, B, UNKNOWN_DEPARTMENT]);
    const [a, b, unknown] = s.groups as [StatsGroup, StatsGroup, StatsGroup];
    expect(pick(a)).toEqual({
      checks: 3, // c1 c2 c3
      hits: 2,
      hitsByHeadline: { black: 1, watch: 0, red: 1 },
      hitRate: 2 / 3,
      measures: { 已惩戒: 1, 已激励: 1, 不执行: 1 }, // f1 f3 f2
      notAppliedReasons: [{ reason: '申请人 已整改', count: 1 }],
      fastTrack: 2,
      greenChannel: 1,
      // k1 (via c2), k2 (c3), k3 (c7, a check outside the range) are A's; k5 is after, k7 before.
      commitments: { made: 2, supplied: 1, breached: 1, openAtEnd: 1, overdueAtEnd: 0 },
    });
    expect(pick(b)).toEqual({
      checks: 2, // c4 c5
      hits: 2,
      hitsByHeadline: { black: 1, watch: 1, red: 0 },
      hitRate: 1,
      measures: { 已惩戒: 1, 已激励: 0, 不执行: 2 }, // f6 / f4 f5
      notAppliedReasons: [
        { reason: '申请人 已整改', count: 1 },
        { reason: NO_REASON, count: 1 },
      ],
      fastTrack: 0,
      greenChannel: 0,
      commitments: { made: 1, supplied: 0, breached: 0, openAtEnd: 1, overdueAtEnd: 1 }, // k8 via c4
    });
    expect(pick(unknown)).toMatchObject({
      checks: 0,
      hitRate: null,
      commitments: { made: 1, supplied: 0, breached: 0, openAtEnd: 1, overdueAtEnd: 1 }, // k4
    });
    expect(a).toMatchObject({ label: A, from: Q1.from, to: Q1.to });
  });

  it('breaks down by month, in China time, each with its own end-of-period snapshot', () => {
    const s = summarize(INPUT, 'month');
    expect(s.groups.map((g) => [g.key, g.label])).toEqual([
      ['2026-01', '2026年1月'],
      ['2026-02', '2026年2月'],
      ['2026-03', '2026年3月'],
    ]);
    const [jan, feb, mar] = s.groups as [StatsGroup, StatsGroup, StatsGroup];
    expect([jan.checks, feb.checks, mar.checks]).toEqual([3, 1, 1]); // c1 c2 c3 / c4 / c5
    expect([jan.measures, feb.measures, mar.measures]).toEqual([
      { 已惩戒: 1, 已激励: 1, 不执行: 1 },
      { 已惩戒: 0, 已激励: 0, 不执行: 1 },
      { 已惩戒: 1, 已激励: 0, 不执行: 1 },
    ]);
    expect([jan.commitments, feb.commitments, mar.commitments]).toEqual([
      // made k1 k2, supplied k1, breached k2; open on 1 Feb: k3.
      { made: 2, supplied: 1, breached: 1, openAtEnd: 1, overdueAtEnd: 0 },
      // made k4; open on 1 Mar: k3 k4 (k4 is due that very day: not yet overdue).
      { made: 1, supplied: 0, breached: 0, openAtEnd: 2, overdueAtEnd: 0 },
      // made k8; open on 1 Apr: k3 k4 k8, of which k4 and k8 overdue.
      { made: 1, supplied: 0, breached: 0, openAtEnd: 3, overdueAtEnd: 2 },
    ]);
    expect(jan.from).toBe(Q1.from);
    expect(mar.to).toBe(Q1.to);
    expect(feb.from).toBe(Date.UTC(2026, 0, 31, 16));
  });

  it('with asOf in a running quarter, takes the commitment snapshot now: a deadline still to come is not overdue', () => {
    // 15 February, 10:00 China time: k4 (made 1 Feb, due 1 Mar) is open but not overdue yet;
    // k8 is not made yet; March has not begun, so it has no snapshot.
    const asOf = china(2026, 2, 15);
    const s = summarize({ ...INPUT, asOf }, 'month');
    expect(s.commitments).toEqual({ made: 4, supplied: 1, breached: 1, openAtEnd: 2, overdueAtEnd: 0 }); // k3 k4
    const [jan, feb, mar] = s.groups as [StatsGroup, StatsGroup, StatsGroup];
    expect(jan.commitments.openAtEnd).toBe(1); // the end of January is past: k3, as without asOf
    expect([feb.commitments.openAtEnd, feb.commitments.overdueAtEnd]).toEqual([2, 0]);
    expect([mar.commitments.openAtEnd, mar.commitments.overdueAtEnd]).toEqual([0, 0]);
    // Past the end, asOf changes nothing.
    expect(summarize({ ...INPUT, asOf: Q1.to + 1 }, 'month')).toEqual(summarize(INPUT, 'month'));
    // On 2 March k4's deadline (1 March) has passed.
    expect(summarize({ ...INPUT, asOf: china(2026, 3, 2) }).commitments.overdueAtEnd).toBe(1);
  });

  it('breaks down by day and quarter, clipping the first and last period to the range', () => {
    const byDay = summarize({ ...INPUT, from: china(2025, 12, 31, 12), to: china(2026, 1, 2, 0) }, 'day');
    expect(byDay.groups.map((g) => [g.key, g.checks])).toEqual([
      ['2025-12-31', 1], // c7 at 23:50
      ['2026-01-01', 1], // c3 at 00:30
    ]);
    expect(byDay.groups[0]?.from).toBe(china(2025, 12, 31, 12));

    const byQuarter = summarize({ ...INPUT, from: china(2025, 12, 1, 0), to: china(2026, 4, 15, 0) }, 'quarter');
    expect(byQuarter.groups.map((g) => [g.key, g.label, g.checks])).toEqual([
      ['2025-Q4', '2025年第4季度', 1], // c7
      ['2026-Q1', '2026年第1季度', 5],
      ['2026-Q2', '2026年第2季度', 1], // c6
    ]);
    expect(byQuarter.checks).toBe(7);
  });

  it('lists every period, zeros included', () => {
    const s = summarize({ ...INPUT, ...quarterRange(2024, 1) }, 'month');
    expect(s.groups.map((g) => [g.key, g.checks])).toEqual([
      ['2024-01', 0],
      ['2024-02', 0],
      ['2024-03', 0],
    ]);
    expect(s.hitRate).toBeNull();
  });

  it('breaks down by clerk and by matter', () => {
    const byClerk = summarize(INPUT, 'clerk');
    expect(byClerk.groups.map((g) => [g.key, g.checks, g.commitments.openAtEnd])).toEqual([
      ['li', 1, 1], // c3; k3
      ['wang', 2, 2], // c4 c5; k4 k8
      ['zhang', 2, 0], // c1 c2
    ]);
    const byMatter = summarize(INPUT, 'matter');
    expect(byMatter.groups.map((g) => [g.key, g.checks, g.measures.不执行])).toEqual([
      ['m1', 3, 2], // c1 c2 c4; f2 f4
      ['m2', 2, 1], // c3 c5; f5
    ]);
  });

  it('refuses a reversed range and a range with too many periods', () => {
    expect(() => summarize({ ...INPUT, from: Q1.to, to: Q1.from })).toThrow(RangeError);
    expect(() => summarize({ ...INPUT, from: 0, to: Q1.to }, 'day')).toThrow('统计区间过长');
    expect(summarize({ ...INPUT, from: 0, to: Q1.to }, 'month').groups).toHaveLength(675);
  });

  describe('groups add up to the totals', () => {
    const T = Q1.from;
    const SPAN = Q1.to - Q1.from;
    const arbCheck = fc
      .record({
        n: fc.integer({ min: 0, max: 30 }),
        at: fc.integer({ min: -SPAN / 4, max: SPAN * 1.25 }),
        dept: fc.constantFrom(A, B, C),
        clerk: fc.constantFrom('zhang', 'li'),
        matter: fc.constantFrom('m1', 'm2', 'm3'),
        headline: fc.constantFrom<Headline>('black', 'watch', 'red', 'clear'),
        fastTrack: fc.boolean(),
        type: fc.constantFrom<FeedbackRecord['type']>('已惩戒', '已激励', '不执行'),
        reason: fc.constantFrom('已整改', '非本部门事项', ' 已整改 '),
        commit: fc.option(
          fc.record({
            status: fc.constantFrom<Commitment['status']>('open', 'supplied', 'breached'),
            after: fc.integer({ min: 0, max: SPAN / 2 }),
            deadlineDays: fc.integer({ min: 1, max: 60 }),
          }),
        ),
      })
      .map((r) => {
        const c = check(`c${r.n}`, Math.round(T + r.at), r.dept, r.clerk, r.matter, r.headline, {
          fastTrack: r.fastTrack,
        });
        const f = feedback(`f${r.n}`, c, r.type, r.type === '不执行' ? r.reason : undefined);
        const k = r.commit
          ? [
              commitment(
                `k${r.n}`,
                c.id,
                c.createdAt,
                new Date(c.createdAt + 8 * 3_600_000 + r.commit.deadlineDays * 86_400_000).toISOString().slice(0, 10),
                r.clerk,
                r.matter,
                r.commit.status,
                c.createdAt + r.commit.after,
              ),
            ]
          : [];
        return { c, f, k };
      });

    const sumOf = (groups: StatsGroup[], f: (g: StatsGroup) => number) => groups.reduce((s, g) => s + f(g), 0);
    const additive: ((t: StatsTotals) => number)[] = [
      (t) => t.checks,
      (t) => t.hits,
      (t) => t.hitsByHeadline.black,
      (t) => t.measures.已惩戒,
      (t) => t.measures.不执行,
      (t) => t.notAppliedReasons.reduce((s, r) => s + r.count, 0),
      (t) => t.fastTrack,
      (t) => t.commitments.made,
      (t) => t.commitments.supplied,
      (t) => t.commitments.breached,
    ];

    it.each<StatsDimension>(['month', 'day', 'department', 'clerk', 'matter'])('by %s', (by) => {
      fc.assert(
        fc.property(fc.array(arbCheck, { maxLength: 25 }), (rows) => {
          const input: StatsInput = {
            checks: rows.map((r) => r.c),
            feedback: rows.map((r) => r.f),
            commitments: rows.flatMap((r) => r.k),
            pendingOutbox: 0,
            ...Q1,
          };
          const s = summarize(input, by);
          for (const f of additive) expect(sumOf(s.groups, f)).toBe(f(s));
          // A snapshot at the end of the range: the last period's, or the sum over attributes.
          const open = (t: StatsTotals) => t.commitments.openAtEnd;
          if (by === 'month' || by === 'day') expect(open(s.groups.at(-1) as StatsGroup)).toBe(open(s));
          else expect(sumOf(s.groups, open)).toBe(open(s));
        }),
        { numRuns: 60 },
      );
    });
  });
});

describe('quarterlyReport', () => {
  it('has the documented columns', () => {
    expect(QUARTERLY_COLUMNS.map((c) => c.header)).toEqual([
      '统计期间',
      '部门',
      '核查次数',
      '命中黑名单次数',
      '命中重点关注名单次数',
      '命中红名单次数',
      '实施惩戒措施次数',
      '实施激励措施次数',
      '未执行次数',
      '容缺受理件数',
      '绿色通道件数',
      '违诺件数',
    ]);
  });

  it('gives one row per department and a 合计 row for 2026 Q1', () => {
    const rows = quarterlyReport({
      checks: INPUT.checks,
      feedback: INPUT.feedback,
      commitments: INPUT.commitments,
      year: 2026,
      quarter: 1,
      departments: [A, B, C],
    });
    const table = quarterlyTable(rows);
    expect(table).toEqual([
      QUARTERLY_COLUMNS.map((c) => c.header),
      // C is listed with nothing to report; the unknown department has only an open commitment
      // (k4), nothing this table counts, so it has no row.
      ['2026年第1季度', C, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      // c1 c2 c3: black c1, red c3; f1 / f3 / f2; fast-track c2 c3; green c3; k2 breached.
      ['2026年第1季度', A, 3, 1, 0, 1, 1, 1, 1, 2, 1, 1],
      // c4 c5: watch c4, black c5; f6 / — / f4 f5; k8 is breached only in Q2.
      ['2026年第1季度', B, 2, 1, 1, 0, 1, 0, 2, 0, 0, 0],
      ['2026年第1季度', '合计', 5, 2, 1, 1, 2, 1, 3, 2, 1, 1],
    ]);
  });

  it('counts k8’s breach in Q2, with c6 and f7', () => {
    const rows = quarterlyReport({ ...INPUT, year: 2026, quarter: 2 });
    expect(rows.map((r) => [r.department, r.checks, r.punished, r.breached])).toEqual([
      [A, 1, 1, 0], // c6, f7
      [B, 0, 0, 1], // k8 via c4
      ['合计', 1, 1, 1],
    ]);
  });

  it('refuses a bad quarter', () => {
    expect(() => quarterlyReport({ ...INPUT, year: 2026, quarter: 5 as 1 })).toThrow(RangeError);
  });
});
