import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DEFAULT_RULES,
  RulesConfig,
  addDays,
  addMonths,
  addWorkingDays,
  addYears,
  chinaDate,
  chinaDateTime,
  daysBetween,
  isWorkingDay,
  maxValidTo,
} from './rules-config';

describe('DEFAULT_RULES', () => {
  it('holds the configured defaults', () => {
    expect(DEFAULT_RULES).toEqual({
      mirrorMaxAgeHours: 24,
      cleanYears: 3,
      severityPeriods: {
        轻微: { minMonths: 0, maxMonths: 3 },
        一般: { minMonths: 3, maxMonths: 12 },
        严重: { minMonths: 12, maxMonths: 36 },
      },
      holidays: [],
      workingWeekends: [],
    });
    expect(DEFAULT_RULES.currentEdition).toBeUndefined();
  });

  it('a partial settings object is completed with the defaults', () => {
    const rules = RulesConfig.parse({ cleanYears: 5, currentEdition: '2024版' });
    expect(rules).toMatchObject({ cleanYears: 5, currentEdition: '2024版', mirrorMaxAgeHours: 24 });
  });

  it('rejects nonsense configuration', () => {
    expect(RulesConfig.safeParse({ mirrorMaxAgeHours: -1 }).success).toBe(false);
    expect(RulesConfig.safeParse({ holidays: ['2026-02-30'] }).success).toBe(false);
    const inverted = { ...DEFAULT_RULES.severityPeriods, 一般: { minMonths: 12, maxMonths: 3 } };
    expect(RulesConfig.safeParse({ severityPeriods: inverted }).success).toBe(false);
  });
});

describe('chinaDate', () => {
  it('is the date in UTC+8', () => {
    expect(chinaDate(Date.UTC(2026, 10, 20, 15, 59))).toBe('2026-11-20');
    expect(chinaDate(Date.UTC(2026, 10, 20, 16, 0))).toBe('2026-11-21');
    expect(chinaDate(Date.UTC(2026, 0, 1, 0, 0) - 1)).toBe('2026-01-01');
  });

  it('chinaDateTime is minutes in UTC+8', () => {
    expect(chinaDateTime(Date.UTC(2026, 10, 20, 0, 5))).toBe('2026-11-20 08:05');
  });
});

describe('calendar arithmetic', () => {
  it('addDays crosses months, years and leap days', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('addMonths clamps to the end of the month', () => {
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2026-11-20', -12)).toBe('2025-11-20');
    expect(addYears('2024-02-29', -3)).toBe('2021-02-28');
  });

  it('daysBetween is the inverse of addDays', () => {
    fc.assert(
      fc.property(fc.integer({ min: -5000, max: 5000 }), (n) => {
        expect(daysBetween('2026-11-20', addDays('2026-11-20', n))).toBe(n);
      }),
    );
  });
});

describe('addWorkingDays', () => {
  // 2026-11-20 is a Friday.
  it('skips Saturdays and Sundays', () => {
    expect(addWorkingDays('2026-11-20', 1, [])).toBe('2026-11-23');
    expect(addWorkingDays('2026-11-20', 5, [])).toBe('2026-11-27');
    expect(addWorkingDays('2026-11-21', 1, [])).toBe('2026-11-23');
  });

  it('skips holidays', () => {
    expect(addWorkingDays('2026-11-20', 1, ['2026-11-23'])).toBe('2026-11-24');
  });

  it('counts make-up working weekends (调休)', () => {
    expect(addWorkingDays('2026-11-20', 1, [], ['2026-11-21'])).toBe('2026-11-21');
  });

  it('zero days is the same date; negative counts go back', () => {
    expect(addWorkingDays('2026-11-21', 0, [])).toBe('2026-11-21');
    expect(addWorkingDays('2026-11-23', -1, [])).toBe('2026-11-20');
  });

  it('refuses a fractional count', () => {
    expect(() => addWorkingDays('2026-11-20', 1.5, [])).toThrow(RangeError);
  });

  it('always lands on a working day, never earlier than n calendar days', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3000 }),
        fc.integer({ min: 1, max: 60 }),
        fc.array(fc.integer({ min: 0, max: 120 }), { maxLength: 10 }),
        (start, n, holidayOffsets) => {
          const from = addDays('2020-01-01', start);
          const holidays = holidayOffsets.map((o) => addDays(from, o));
          const to = addWorkingDays(from, n, holidays);
          expect(isWorkingDay(to, holidays)).toBe(true);
          expect(daysBetween(from, to)).toBeGreaterThanOrEqual(n);
        },
      ),
    );
  });
});

describe('maxValidTo', () => {
  it('is the last day of the configured period for the severity', () => {
    expect(maxValidTo('严重', '2026-01-10')).toBe('2029-01-09');
    expect(maxValidTo('轻微', '2026-01-10')).toBe('2026-04-09');
    const rules = RulesConfig.parse({
      severityPeriods: { ...DEFAULT_RULES.severityPeriods, 严重: { minMonths: 12, maxMonths: 24 } },
    });
    expect(maxValidTo('严重', '2026-01-10', rules)).toBe('2028-01-09');
  });
});
