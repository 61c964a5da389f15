import { describe, expect, it } from 'vitest';
import { ListRecord, type ListRecordInput } from './schemas';
import {
  DEFAULT_INSPECTION_CONFIG,
  InspectionConfig,
  frequencyText,
  inInspectorArea,
  inspectionIntervalDays,
  nextInspection,
  suggestedInspectionsPerYear,
  supervisionClass,
} from './supervision';

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

describe('InspectionConfig', () => {
  it('accepts the default configuration', () => {
    expect(InspectionConfig.parse(DEFAULT_INSPECTION_CONFIG)).toEqual(DEFAULT_INSPECTION_CONFIG);
  });

  it('refuses zero, negative and absurd frequencies with the class named', () => {
    const zero = InspectionConfig.safeParse({ ...DEFAULT_INSPECTION_CONFIG, 信用良好: 0 });
    expect(zero.success).toBe(false);
    expect(zero.error?.issues[0]?.path).toEqual(['信用良好']);
    expect(zero.error?.issues[0]?.message).toBe('每年检查次数应大于 0');
    expect(InspectionConfig.safeParse({ ...DEFAULT_INSPECTION_CONFIG, 重点监管: 53 }).success).toBe(false);
  });

  it('refuses inspecting trusted subjects more often than ordinary ones, or ordinary ones more than key ones', () => {
    const trusted = InspectionConfig.safeParse({ 重点监管: 4, 一般: 1, 信用良好: 2 });
    expect(trusted.error?.issues.map((i) => i.message)).toEqual(['信用良好对象的检查频次不应高于一般对象']);
    const key = InspectionConfig.safeParse({ 重点监管: 1, 一般: 2, 信用良好: 0.5 });
    expect(key.error?.issues.map((i) => i.message)).toEqual(['重点监管对象的检查频次不应低于一般对象']);
  });
});

describe('frequencyText and the next inspection', () => {
  it('names the usual frequencies as an inspector says them', () => {
    expect(frequencyText(4)).toBe('每季度 1 次');
    expect(frequencyText(1)).toBe('每年 1 次');
    expect(frequencyText(0.5)).toBe('每 2 年 1 次');
    expect(frequencyText(12)).toBe('每月 1 次');
    expect(frequencyText(3)).toBe('每年 3 次');
    expect(frequencyText(0.3)).toBe('约每 1217 天 1 次');
  });

  it('is due today for a subject never inspected here', () => {
    expect(nextInspection(undefined, 4, TODAY)).toEqual({ due: TODAY, overdueDays: 0 });
  });

  it('is due one interval after the last inspection, and counts the days past it', () => {
    expect(inspectionIntervalDays(4)).toBe(91);
    expect(nextInspection('2026-10-01', 4, TODAY)).toEqual({ due: '2026-12-31', overdueDays: 0 });
    expect(nextInspection('2026-01-01', 4, TODAY)).toEqual({ due: '2026-04-02', overdueDays: 232 });
  });
});

describe('inInspectorArea', () => {
  it('matches a district written alone or with its city', () => {
    expect(inInspectorArea('兰山区', '兰山区')).toBe(true);
    expect(inInspectorArea('兰山区', '临沂市兰山区')).toBe(true);
    expect(inInspectorArea('临沂市兰山区', '兰山区')).toBe(true);
  });

  it('does not match another district, nor a record without one', () => {
    expect(inInspectorArea('罗庄区', '临沂市兰山区')).toBe(false);
    expect(inInspectorArea(undefined, '兰山区')).toBe(false);
    expect(inInspectorArea('  ', '兰山区')).toBe(false);
  });

  it('an empty area means every district', () => {
    expect(inInspectorArea('罗庄区', ' ')).toBe(true);
    expect(inInspectorArea(undefined, '')).toBe(true);
  });
});
