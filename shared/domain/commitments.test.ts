import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Commitment, Matter } from './schemas';
import { RulesConfig, addDays } from './rules-config';
import {
  commitmentDeadlineLimit,
  commitmentState,
  dueForBreach,
  validateCommitmentDeadline,
} from './commitments';

/** Friday 2026-11-20, 10:00 in China. */
const CREATED = Date.UTC(2026, 10, 20, 2, 0);

function matter(overrides: Partial<Matter> = {}): Matter {
  return Matter.parse({
    id: 'mat-1',
    name: '食品经营许可',
    department: '市场监督管理局',
    statutoryDays: 5,
    secondaryMaterials: ['场所平面图'],
    subjectTypes: ['法人'],
    ...overrides,
  });
}

function commitment(overrides: Partial<Commitment> = {}): Commitment {
  return Commitment.parse({
    id: 'c1',
    checkId: 'chk-1',
    identifier: '91350100M000100Y43',
    subjectName: '某某贸易有限公司',
    matterId: 'mat-1',
    missingMaterials: ['场所平面图'],
    deadline: '2026-11-27',
    createdAt: CREATED,
    clerk: '张三',
    status: 'open',
    ...overrides,
  });
}

describe('commitmentDeadlineLimit', () => {
  it('is the China date of creation plus the statutory working days', () => {
    expect(commitmentDeadlineLimit(matter(), CREATED)).toBe('2026-11-27');
  });

  it('uses the China date, not the UTC date', () => {
    const lateFridayUtc = Date.UTC(2026, 10, 19, 17, 0); // Friday 01:00 in China
    expect(commitmentDeadlineLimit(matter({ statutoryDays: 1 }), lateFridayUtc)).toBe('2026-11-23');
  });

  it('skips configured holidays', () => {
    const rules = RulesConfig.parse({ holidays: ['2026-11-23', '2026-11-24'] });
    expect(commitmentDeadlineLimit(matter(), CREATED, rules)).toBe('2026-12-01');
  });
});

describe('validateCommitmentDeadline', () => {
  it('accepts a deadline from tomorrow up to the limit', () => {
    expect(validateCommitmentDeadline(matter(), CREATED, '2026-11-21')).toBeNull();
    expect(validateCommitmentDeadline(matter(), CREATED, '2026-11-27')).toBeNull();
  });

  it('rejects a deadline after the statutory limit', () => {
    const error = validateCommitmentDeadline(matter(), CREATED, '2026-11-30');
    expect(error).toContain('不得晚于 2026-11-27');
    expect(error).toContain('5 个工作日');
  });

  it('rejects a deadline before tomorrow', () => {
    expect(validateCommitmentDeadline(matter(), CREATED, '2026-11-20')).toContain('不得早于 2026-11-21');
  });

  it('accepts exactly the deadlines between tomorrow and the limit', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10, max: 40 }), fc.integer({ min: 1, max: 20 }), (offset, days) => {
        const m = matter({ statutoryDays: days });
        const deadline = addDays('2026-11-20', offset);
        const ok = deadline >= '2026-11-21' && deadline <= commitmentDeadlineLimit(m, CREATED);
        expect(validateCommitmentDeadline(m, CREATED, deadline) === null).toBe(ok);
      }),
    );
  });
});

describe('commitmentState', () => {
  it('supplied and breached commitments keep their status', () => {
    expect(commitmentState(commitment({ status: 'supplied' }), '2027-01-01')).toBe('supplied');
    expect(commitmentState(commitment({ status: 'breached' }), '2026-11-20')).toBe('breached');
  });

  it('an open commitment past its deadline is overdue', () => {
    expect(commitmentState(commitment(), '2026-11-28')).toBe('overdue');
  });

  it('an open commitment within 3 days of its deadline is due soon, including the deadline day', () => {
    expect(commitmentState(commitment(), '2026-11-27')).toBe('due_soon');
    expect(commitmentState(commitment(), '2026-11-24')).toBe('due_soon');
    expect(commitmentState(commitment(), '2026-11-23')).toBe('open');
  });

  it('the due-soon window is a parameter', () => {
    expect(commitmentState(commitment(), '2026-11-23', 7)).toBe('due_soon');
    expect(commitmentState(commitment(), '2026-11-26', 0)).toBe('open');
  });
});

describe('dueForBreach', () => {
  it('returns the open commitments past their deadline', () => {
    const list = [
      commitment({ id: 'late' }),
      commitment({ id: 'today', deadline: '2026-11-28' }),
      commitment({ id: 'supplied', status: 'supplied' }),
      commitment({ id: 'breached', status: 'breached' }),
    ];
    expect(dueForBreach(list, '2026-11-28').map((c) => c.id)).toEqual(['late']);
  });

  it('agrees with commitmentState', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('open', 'supplied', 'breached' as const),
        fc.integer({ min: -30, max: 30 }),
        (status, offset) => {
          const c = commitment({ status, deadline: addDays('2026-11-27', offset) });
          const due = dueForBreach([c], '2026-11-27').length === 1;
          expect(due).toBe(commitmentState(c, '2026-11-27') === 'overdue');
        },
      ),
    );
  });
});
