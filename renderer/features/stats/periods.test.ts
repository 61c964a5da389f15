import { describe, expect, it } from 'vitest';
import { daysRange, defaultDimension, monthOf, quarterOf, rangeLabel, thisQuarter } from './periods';

/** An instant given in China time (UTC+8). */
const china = (y: number, m: number, d: number, h = 10): number => Date.UTC(y, m - 1, d, h - 8);

describe('stats periods', () => {
  it('本月 and 本季度 follow the China calendar, also just after midnight China time', () => {
    const t = china(2026, 4, 1, 0); // still 31 March in UTC
    expect(monthOf(t)).toEqual({ from: china(2026, 4, 1, 0), to: china(2026, 5, 1, 0) });
    expect(quarterOf(t)).toEqual({ year: 2026, quarter: 2 });
    expect(thisQuarter(t)).toEqual({ from: china(2026, 4, 1, 0), to: china(2026, 7, 1, 0) });
    expect(monthOf(china(2026, 12, 31, 23))).toEqual({ from: china(2026, 12, 1, 0), to: china(2027, 1, 1, 0) });
  });

  it('a custom range includes both dates', () => {
    const r = daysRange('2026-02-01', '2026-02-28');
    expect(r).toEqual({ from: china(2026, 2, 1, 0), to: china(2026, 3, 1, 0) });
    expect(rangeLabel(r)).toBe('2026-02-01 至 2026-02-28');
    expect(() => daysRange('2026-02-02', '2026-02-01')).toThrow('早于开始日期');
  });

  it('groups a month by day, a quarter by month, a long range more coarsely', () => {
    expect(defaultDimension('month', monthOf(china(2026, 1, 5)))).toBe('day');
    expect(defaultDimension('quarter', thisQuarter(china(2026, 1, 5)))).toBe('month');
    expect(defaultDimension('custom', daysRange('2026-01-01', '2026-01-31'))).toBe('day');
    expect(defaultDimension('custom', daysRange('2026-01-01', '2026-12-31'))).toBe('month');
    expect(defaultDimension('custom', daysRange('2020-01-01', '2026-12-31'))).toBe('quarter');
  });
});
