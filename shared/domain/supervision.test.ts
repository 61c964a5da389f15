import { describe, expect, it } from 'vitest';
import { ListRecord, type ListRecordInput } from './schemas';
import { DEFAULT_INSPECTION_CONFIG, suggestedInspectionsPerYear, supervisionClass } from './supervision';

const TODAY = '2026-11-20';

function record(overrides: Partial<ListRecordInput> = {}): ListRecord {
  return ListRecord.parse({
    id: 'r1',
    version: 1,
    listType: '重大税收违法失信主体名单',
    colour: 'black',
    subjectName: '某某贸易有限公司',
    subjectType: '法人',
    uscc: '91350100M000100Y43',
    deptName: '税务局',
    basis: '依据',
    reason: '事由',
    designatedOn: '2026-01-10',
    validFrom: '2026-01-10',
    severity: '严重',
    ...overrides,
  });
}

describe('supervisionClass (分类监管, 001 §十二, 000 §七)', () => {
  it('an active serious black record means 重点监管', () => {
    expect(supervisionClass([record()], TODAY)).toBe('重点监管');
  });

  it('any active watch record means 重点监管', () => {
    expect(supervisionClass([record({ colour: 'watch', severity: '轻微' })], TODAY)).toBe('重点监管');
  });

  it('an active black record that is not serious means 一般', () => {
    expect(supervisionClass([record({ severity: '一般' })], TODAY)).toBe('一般');
  });

  it('an active red record with no active black or watch means 信用良好', () => {
    expect(supervisionClass([record({ colour: 'red' })], TODAY)).toBe('信用良好');
  });

  it('a red record beside an active black record is not 信用良好', () => {
    const records = [record({ colour: 'red' }), record({ id: 'r2', severity: '轻微' })];
    expect(supervisionClass(records, TODAY)).toBe('一般');
  });

  it('set-aside records do not count', () => {
    const records = [
      record({ validTo: '2026-01-31' }),
      record({ id: 'r2', objection: 'pending' }),
      record({ id: 'r3', colour: 'watch', removedOn: '2026-06-01' }),
      record({ id: 'r4', colour: 'red', repairedOn: '2026-06-01' }),
    ];
    expect(supervisionClass(records, TODAY)).toBe('一般');
  });

  it('no records means 一般', () => {
    expect(supervisionClass([], TODAY)).toBe('一般');
  });
});

describe('suggestedInspectionsPerYear', () => {
  it('follows the default configuration', () => {
    expect(suggestedInspectionsPerYear('重点监管')).toBe(4);
    expect(suggestedInspectionsPerYear('一般')).toBe(1);
    expect(suggestedInspectionsPerYear('信用良好')).toBe(0.5);
  });

  it('follows a given configuration', () => {
    expect(suggestedInspectionsPerYear('重点监管', { ...DEFAULT_INSPECTION_CONFIG, 重点监管: 12 })).toBe(12);
  });
});
