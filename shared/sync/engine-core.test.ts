import { describe, expect, it } from 'vitest';
import { demoRecords } from '../sample/demo';
import type { ListRecord } from '../domain/schemas';
import {
  DEFAULT_BACKOFF,
  INITIAL_STATUS,
  addSample,
  backoffDelay,
  estimate,
  formatDuration,
  reduceStatus,
  retryAfterDelay,
  sequencePage,
  statusHeadline,
  type SyncStatus,
} from './engine-core';
import { Change, RETRY_AFTER_MAX_MS } from './protocol';

const [r1] = demoRecords('2026-11-20') as [ListRecord, ...ListRecord[]];
const up = (seq: number, id = `R${seq}`): Change => Change.parse({ seq, op: 'upsert', kind: 'record', data: { ...r1, id } });
const del = (seq: number, id = `R${seq}`): Change => Change.parse({ seq, op: 'delete', kind: 'record', id });
const seqs = (cs: readonly Change[]): number[] => cs.map((c) => c.seq);

describe('backoff', () => {
  it('doubles from 1 s, stays within [ceiling/2, ceiling), and is capped at 5 minutes', () => {
    for (let n = 1; n <= 30; n++) {
      const ceiling = Math.min(DEFAULT_BACKOFF.capMs, 1000 * 2 ** (n - 1));
      expect(backoffDelay(n, () => 0)).toBe(ceiling / 2);
      expect(backoffDelay(n, () => 0.999999)).toBeLessThan(ceiling);
      expect(backoffDelay(n, () => 0.999999)).toBeGreaterThanOrEqual(ceiling / 2);
    }
    expect(backoffDelay(1, () => 0.5)).toBe(750);
    expect(backoffDelay(2, () => 0.5)).toBe(1500);
    expect(backoffDelay(1000, () => 0.5)).toBe(225_000);
    // A broken random source cannot push it outside the bounds.
    expect(backoffDelay(3, () => 7)).toBeLessThan(4000);
    expect(backoffDelay(3, () => -1)).toBe(2000);
  });

  it('jitter spreads clients that failed at the same moment', () => {
    let s = 1;
    const rng = (): number => ((s = (s * 16807) % 2147483647) / 2147483647);
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(6, rng)));
    expect(delays.size).toBeGreaterThan(40);
  });

  it('Retry-After is honoured (never shorter) with at most 10 % / 1 s of jitter, and capped', () => {
    expect(retryAfterDelay(5000, () => 0)).toBe(5000);
    expect(retryAfterDelay(5000, () => 0.999)).toBeLessThanOrEqual(5500);
    expect(retryAfterDelay(60_000, () => 0.999)).toBeLessThanOrEqual(61_000);
    expect(retryAfterDelay(0, () => 0.5)).toBe(0);
    expect(retryAfterDelay(10 * RETRY_AFTER_MAX_MS, () => 0)).toBe(RETRY_AFTER_MAX_MS);
  });
});

describe('page sequencing', () => {
  it('applies fresh changes and reports the new last seq', () => {
    const v = sequencePage({ changes: [up(3), up(4), del(7)] }, 2);
    expect(v).toMatchObject({ kind: 'apply', duplicates: 0, lastSeq: 7 });
    if (v.kind === 'apply') expect(seqs(v.fresh)).toEqual([3, 4, 7]);
  });

  it('drops changes at or below the last applied seq and repeats within the page', () => {
    const v = sequencePage({ changes: [up(3), up(4), up(5), up(4), up(6), up(5), up(6)] }, 4);
    expect(v).toMatchObject({ kind: 'apply', duplicates: 5, lastSeq: 6 });
    if (v.kind === 'apply') expect(seqs(v.fresh)).toEqual([5, 6]);
    // The reference platform's duplicatePages fault: the whole page twice.
    const twice = sequencePage({ changes: [up(1), up(2), up(3), up(1), up(2), up(3)] }, 0);
    expect(twice).toMatchObject({ kind: 'apply', duplicates: 3, lastSeq: 3 });
  });

  it('a page whose changes were all applied before is stale: nothing to apply, cursor must not move', () => {
    expect(sequencePage({ changes: [up(3), up(4)] }, 4)).toEqual({ kind: 'stale', duplicates: 2 });
  });

  it('an empty page is applied (it moves the cursor to the end of the log)', () => {
    expect(sequencePage({ changes: [] }, 9)).toEqual({ kind: 'apply', fresh: [], duplicates: 0, lastSeq: 9 });
  });

  it('a change that goes back below a seq already met (and is not a repeat) refuses the page', () => {
    const v = sequencePage({ changes: [up(5), up(8), up(6)] }, 2);
    expect(v.kind).toBe('refuse');
    if (v.kind === 'refuse') expect(v.message).toContain('整页已拒收');
  });
});

describe('estimate', () => {
  it('measures the rate over the window and the time left', () => {
    let samples = addSample([], { at: 0, done: 0 });
    expect(estimate(samples, 100)).toEqual({ ratePerSec: null, remainingMs: null });
    samples = addSample(samples, { at: 1000, done: 10 });
    samples = addSample(samples, { at: 2000, done: 20 });
    expect(estimate(samples, 100)).toEqual({ ratePerSec: 10, remainingMs: 8000 });
    expect(estimate(samples, null)).toEqual({ ratePerSec: 10, remainingMs: null });
  });

  it('forgets samples older than the window', () => {
    let samples = addSample([], { at: 0, done: 0 });
    for (let t = 1; t <= 100; t++) samples = addSample(samples, { at: t * 1000, done: t < 50 ? t : 50 + (t - 50) * 10 }, 10_000);
    expect(samples.length).toBeLessThanOrEqual(12);
    expect(estimate(samples, null).ratePerSec).toBeCloseTo(10);
  });

  it('formats durations in Chinese', () => {
    expect(formatDuration(42_000)).toBe('42 秒');
    expect(formatDuration(200_000)).toBe('3 分 20 秒');
    expect(formatDuration(2 * 3_600_000 + 5 * 60_000)).toBe('2 小时 5 分');
  });
});

describe('status reducer', () => {
  const enrolled: SyncStatus = reduceStatus(INITIAL_STATUS, {
    type: 'loaded',
    patch: { enrolment: { baseUrl: 'http://p', deviceId: 'D-1', deviceName: '窗口', department: '市场监督管理局', district: '兰山区', enrolledAt: 1 } },
  });

  it('returns the same object when nothing changed (useSyncExternalStore)', () => {
    const s = reduceStatus(enrolled, { type: 'counts', pending: 3, rejected: 1 });
    expect(s).not.toBe(enrolled);
    expect(reduceStatus(s, { type: 'counts', pending: 3, rejected: 1 })).toBe(s);
    expect(reduceStatus(s, { type: 'phase', phase: 'idle' })).toBe(s);
  });

  it('counts consecutive failures and clears them (and the error) on success', () => {
    let s = enrolled;
    const error = { code: 'network', message: '无法连接信用平台', at: 5 };
    s = reduceStatus(s, { type: 'failed', error, retryAt: 1005, countsAsFailure: true });
    s = reduceStatus(s, { type: 'failed', error, retryAt: 2005, countsAsFailure: true });
    expect(s).toMatchObject({ failures: 2, lastError: error, nextAttemptAt: 2005, phase: 'idle' });
    s = reduceStatus(s, { type: 'succeeded', at: 9, nextAt: 100 });
    expect(s).toMatchObject({ failures: 0, lastError: null, lastSuccessAt: 9, nextAttemptAt: 100 });
  });

  it('bumps the revision whenever the mirror changes', () => {
    const s = reduceStatus(enrolled, { type: 'mirror', completeAt: 77, source: 'platform' });
    expect(s).toMatchObject({ revision: enrolled.revision + 1, mirrorCompleteAt: 77, mirrorSource: 'platform' });
    expect(reduceStatus(s, { type: 'mirror' }).revision).toBe(s.revision + 1);
  });

  it('headline says online / offline, loading and what waits', () => {
    expect(statusHeadline(INITIAL_STATUS)).toBe('未登记平台');
    let s = reduceStatus(enrolled, { type: 'connectivity', online: false, at: 1 });
    s = reduceStatus(s, { type: 'counts', pending: 4, rejected: 2 });
    expect(statusHeadline(s)).toBe('离线 · 待上报 4 条 · 退回 2 条');
    s = reduceStatus(s, { type: 'connectivity', online: true, at: 2 });
    expect(statusHeadline(s)).toBe('在线 · 待上报 4 条 · 退回 2 条');
    expect(statusHeadline({ ...s, tokenMissing: true })).toBe('需重新登记');
  });
});
