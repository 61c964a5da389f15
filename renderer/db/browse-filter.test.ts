import { describe, expect, it } from 'vitest';
import { demoRecords } from '../../shared/sample/demo';
import { matchesBrowseFilter } from './mirror-store';

const TODAY = '2026-11-21';
const records = demoRecords(TODAY);

describe('browsing filters', () => {
  it('a department filter keeps records whose designating department contains the text', () => {
    const kept = records.filter((r) => matchesBrowseFilter(r, { department: '法院' }));
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.every((r) => r.deptName.includes('法院'))).toBe(true);
    expect(kept.length).toBe(records.filter((r) => r.deptName.includes('法院')).length);
  });

  it('a designation date range is inclusive at both ends', () => {
    const d = records[0]!.designatedOn;
    const kept = records.filter((r) => matchesBrowseFilter(r, { designatedFrom: d, designatedTo: d }));
    expect(kept).toEqual(records.filter((r) => r.designatedOn === d));
  });

  it('filters combine: colour, state and department must all hold', () => {
    const kept = records.filter((r) => matchesBrowseFilter(r, { colours: ['red'], states: ['active'], today: TODAY, department: '法院' }));
    expect(kept).toEqual([]);
  });
});
