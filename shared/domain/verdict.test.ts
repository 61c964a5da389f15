import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  Commitment,
  ListRecord,
  Matter,
  Measure,
  type ListRecordInput,
  type MeasureDecision,
  type MeasureInput,
} from './schemas';
import { RulesConfig, addDays } from './rules-config';
import {
  computeVerdict,
  missingDecisions,
  recordState,
  type LinkedParty,
  type VerdictInput,
} from './verdict';

// ---------------------------------------------------------------- fixtures

/** 2026-11-20 10:00 in China. */
const NOW = Date.UTC(2026, 10, 20, 2, 0);
const TODAY = '2026-11-20';
const HOUR = 3_600_000;
const COMPANY = '91350100M000100Y43';
const PERSON = '11010519491231002X';

function record(overrides: Partial<ListRecordInput> = {}): ListRecord {
  return ListRecord.parse({
    id: 'r1',
    version: 1,
    listType: '重大税收违法失信主体名单',
    colour: 'black',
    subjectName: '某某贸易有限公司',
    subjectType: '法人',
    uscc: COMPANY,
    deptName: '国家税务总局某市税务局',
    basis: '《重大税收违法失信主体信息公布管理办法》',
    reason: '偷税',
    designatedOn: '2026-01-10',
    validFrom: '2026-01-10',
    validTo: '2028-01-09',
    severity: '严重',
    ...overrides,
  });
}

function measure(overrides: Partial<MeasureInput> = {}): Measure {
  return Measure.parse({
    id: 'm1',
    edition: '2024版',
    level: '国家',
    category: '行政性',
    kind: 'punishment',
    title: '从严审核行政许可审批项目',
    content: '在行政许可中从严审核',
    basis: '发改财金〔2016〕2798号',
    initiatingDept: '税务局',
    implementingDepts: ['*'],
    mandatory: true,
    matters: ['*'],
    listTypes: ['*'],
    colours: ['black'],
    ...overrides,
  });
}

function matter(overrides: Partial<Matter> = {}): Matter {
  return Matter.parse({
    id: 'mat-1',
    name: '食品经营许可',
    department: '市场监督管理局',
    statutoryDays: 20,
    secondaryMaterials: ['场所平面图'],
    subjectTypes: ['法人'],
    ...overrides,
  });
}

function commitment(overrides: Partial<Commitment> = {}): Commitment {
  return Commitment.parse({
    id: 'c1',
    checkId: 'chk-0',
    identifier: COMPANY,
    subjectName: '某某贸易有限公司',
    matterId: 'mat-1',
    missingMaterials: ['场所平面图'],
    deadline: '2026-12-01',
    createdAt: NOW - 10 * 24 * HOUR,
    clerk: '张三',
    status: 'open',
    ...overrides,
  });
}

function legalRep(records: ListRecord[]): LinkedParty {
  return { relation: '法定代表人', name: '李四', identifier: PERSON, records };
}

function input(overrides: Partial<VerdictInput> = {}): VerdictInput {
  return {
    subject: { type: '法人', identifier: COMPANY, name: '某某贸易有限公司' },
    matter: matter(),
    department: '市场监督管理局',
    now: NOW,
    records: [],
    linked: [],
    measures: [],
    commitments: [],
    mirrorAsOf: NOW - HOUR,
    ...overrides,
  };
}

const red = (o: Partial<ListRecordInput> = {}) =>
  record({ id: 'red1', colour: 'red', listType: '纳税信用A级纳税人', severity: '轻微', ...o });

// ---------------------------------------------------------------- record state

describe('recordState', () => {
  it('an active record within its period is active', () => {
    expect(recordState(record(), TODAY)).toBe('active');
  });

  it('a record without validTo is active indefinitely (长期有效)', () => {
    expect(recordState(record({ validTo: undefined }), '2099-01-01')).toBe('active');
  });

  it('an expired record is set aside the day after its valid-to date', () => {
    expect(recordState(record({ validTo: TODAY }), TODAY)).toBe('active');
    expect(recordState(record({ validTo: addDays(TODAY, -1) }), TODAY)).toBe('expired');
  });

  it('a removed record is set aside from its removal date', () => {
    expect(recordState(record({ removedOn: TODAY }), TODAY)).toBe('removed');
    expect(recordState(record({ removedOn: addDays(TODAY, 1) }), TODAY)).toBe('active');
  });

  it('a repaired record is set aside from its repair date', () => {
    expect(recordState(record({ repairedOn: TODAY }), TODAY)).toBe('repaired');
    expect(recordState(record({ repairedOn: addDays(TODAY, 1) }), TODAY)).toBe('active');
  });

  it('a record whose validity has not begun is not yet valid', () => {
    expect(recordState(record({ validFrom: addDays(TODAY, 1) }), TODAY)).toBe('not_yet_valid');
    expect(recordState(record({ validFrom: TODAY }), TODAY)).toBe('active');
  });

  it('a pending objection suspends the record (002 三.2)', () => {
    expect(recordState(record({ objection: 'pending' }), TODAY)).toBe('suspended');
  });

  it('a rejected objection makes the record active again', () => {
    expect(recordState(record({ objection: 'rejected' }), TODAY)).toBe('active');
  });

  it('an upheld objection voids the record', () => {
    expect(recordState(record({ objection: 'upheld' }), TODAY)).toBe('objection_upheld');
  });

  it('set-aside reasons take precedence: upheld, removed, repaired, expired, not yet valid, suspended', () => {
    const all: Partial<ListRecordInput> = {
      objection: 'upheld',
      removedOn: '2026-02-01',
      repairedOn: '2026-03-01',
      validTo: '2026-04-01',
    };
    expect(recordState(record(all), TODAY)).toBe('objection_upheld');
    expect(recordState(record({ ...all, objection: 'pending' }), TODAY)).toBe('removed');
    expect(recordState(record({ ...all, objection: 'pending', removedOn: undefined }), TODAY)).toBe(
      'repaired',
    );
    expect(
      recordState(record({ objection: 'pending', validTo: '2026-04-01' }), TODAY),
    ).toBe('expired');
    expect(
      recordState(record({ objection: 'pending', validFrom: '2027-01-01', validTo: undefined }), TODAY),
    ).toBe('not_yet_valid');
  });
});

// ---------------------------------------------------------------- set aside and headline

describe('set-aside records', () => {
  it('an expired black-list record triggers no measure', () => {
    const v = computeVerdict(
      input({ records: [record({ validTo: '2025-03-01' })], measures: [measure()] }),
    );
    expect(v.hits).toEqual([]);
    expect(v.measures).toEqual([]);
    expect(v.headline).toBe('clear');
    expect(v.setAside).toHaveLength(1);
    expect(v.setAside[0]).toMatchObject({ reason: 'expired', explanation: '有效期已于 2025-03-01 届满' });
  });

  it('a removed record is set aside with an explanation naming the removal date', () => {
    const v = computeVerdict(input({ records: [record({ removedOn: '2026-06-30' })] }));
    expect(v.setAside[0]).toMatchObject({ reason: 'removed' });
    expect(v.setAside[0]?.explanation).toContain('2026-06-30');
  });

  it('a repaired record is set aside with an explanation naming the repair date', () => {
    const v = computeVerdict(input({ records: [record({ repairedOn: '2026-07-15' })] }));
    expect(v.setAside[0]).toMatchObject({ reason: 'repaired' });
    expect(v.setAside[0]?.explanation).toContain('2026-07-15');
  });

  it('a record not yet valid is set aside with an explanation naming its start date', () => {
    const v = computeVerdict(input({ records: [record({ validFrom: '2026-12-01' })] }));
    expect(v.setAside[0]).toMatchObject({ reason: 'not_yet_valid' });
    expect(v.setAside[0]?.explanation).toContain('2026-12-01');
  });

  it('a record under objection is suspended and triggers no measure (异议处理期间暂停执行)', () => {
    const v = computeVerdict(
      input({ records: [record({ objection: 'pending' })], measures: [measure()] }),
    );
    expect(v.setAside[0]).toMatchObject({ reason: 'suspended' });
    expect(v.setAside[0]?.explanation).toContain('异议处理期间暂停执行');
    expect(v.measures).toEqual([]);
    expect(v.headline).toBe('clear');
  });

  it('a record whose objection was rejected counts again', () => {
    const v = computeVerdict(
      input({ records: [record({ objection: 'rejected' })], measures: [measure()] }),
    );
    expect(v.headline).toBe('black');
    expect(v.measures.map((m) => m.measure.id)).toEqual(['m1']);
  });

  it('a record whose objection was upheld is set aside', () => {
    const v = computeVerdict(input({ records: [record({ objection: 'upheld' })] }));
    expect(v.setAside[0]).toMatchObject({ reason: 'objection_upheld' });
    expect(v.headline).toBe('clear');
  });

  it('only the latest version of a record is considered', () => {
    const v = computeVerdict(
      input({ records: [record({ version: 2, removedOn: '2026-10-01' }), record({ version: 1 })] }),
    );
    expect(v.hits).toEqual([]);
    expect(v.setAside).toHaveLength(1);
    expect(v.setAside[0]?.record.version).toBe(2);
  });
});

describe('black beats red (001 §七)', () => {
  it('black beats red: an active black record sets aside active red records and flags a conflict', () => {
    const v = computeVerdict(input({ records: [record(), red()] }));
    expect(v.hits.map((h) => h.record.id)).toEqual(['r1']);
    expect(v.setAside).toEqual([
      expect.objectContaining({ reason: 'black_wins', record: expect.objectContaining({ id: 'red1' }) }),
    ]);
    expect(v.setAside[0]?.explanation).toContain('重大税收违法失信主体名单');
    expect(v.conflict).toBe(true);
    expect(v.headline).toBe('black');
  });

  it('a black record that is no longer active does not set aside red records', () => {
    const v = computeVerdict(input({ records: [record({ validTo: '2026-01-31' }), red()] }));
    expect(v.hits.map((h) => h.record.id)).toEqual(['red1']);
    expect(v.conflict).toBe(false);
    expect(v.headline).toBe('red');
  });

  it('a watch record does not set aside red records', () => {
    const v = computeVerdict(input({ records: [record({ colour: 'watch' }), red()] }));
    expect(v.hits.map((h) => h.record.colour)).toEqual(['watch', 'red']);
    expect(v.conflict).toBe(false);
  });

  it('a red-list reward measure is not suggested when black wins', () => {
    const reward = measure({ id: 'reward', kind: 'reward', colours: ['red'] });
    const v = computeVerdict(input({ records: [record(), red()], measures: [reward] }));
    expect(v.measures).toEqual([]);
  });
});

describe('headline', () => {
  it('headline: black > watch > red > clear, from the subject\'s own counting hits', () => {
    const watch = record({ id: 'w1', colour: 'watch', listType: '拖欠农民工工资重点关注名单' });
    expect(computeVerdict(input({ records: [red(), watch, record()] })).headline).toBe('black');
    expect(computeVerdict(input({ records: [red(), watch] })).headline).toBe('watch');
    expect(computeVerdict(input({ records: [red()] })).headline).toBe('red');
    expect(computeVerdict(input({ records: [] })).headline).toBe('clear');
  });

  it('hits are ordered black, watch, red', () => {
    const watch = record({ id: 'w1', colour: 'watch' });
    const v = computeVerdict(input({ records: [watch, record()] }));
    expect(v.hits.map((h) => h.record.id)).toEqual(['r1', 'w1']);
  });
});

// ---------------------------------------------------------------- 落实到人

describe('linked parties (落实到人, 000 §十一, 004 §15)', () => {
  const repBlack = record({
    id: 'p1',
    subjectName: '李四',
    subjectType: '自然人',
    uscc: undefined,
    idNumber: PERSON,
    listType: '失信被执行人',
  });

  it('a linked party\'s counting records appear in linkedHits with via, never in hits', () => {
    const v = computeVerdict(input({ linked: [legalRep([repBlack])] }));
    expect(v.hits).toEqual([]);
    expect(v.linkedHits).toEqual([
      { record: repBlack, via: { relation: '法定代表人', name: '李四', identifier: PERSON } },
    ]);
    expect(v.headline).toBe('clear');
  });

  it('a linked party\'s records follow the same set-aside rules, with via', () => {
    const expired = record({ ...repBlack, id: 'p2', validTo: '2025-01-01' });
    const v = computeVerdict(input({ linked: [legalRep([expired])] }));
    expect(v.linkedHits).toEqual([]);
    expect(v.setAside).toEqual([
      expect.objectContaining({ reason: 'expired', via: expect.objectContaining({ name: '李四' }) }),
    ]);
  });

  it('a linked party\'s black record sets aside that party\'s red records, not the subject\'s', () => {
    const repRed = record({ ...repBlack, id: 'p3', colour: 'red', listType: '诚信个人' });
    const v = computeVerdict(input({ records: [red()], linked: [legalRep([repBlack, repRed])] }));
    expect(v.hits.map((h) => h.record.id)).toEqual(['red1']);
    expect(v.conflict).toBe(false);
    expect(v.setAside).toEqual([
      expect.objectContaining({ reason: 'black_wins', via: expect.objectContaining({ name: '李四' }) }),
    ]);
  });

  it('a company record naming the checked person only as legal representative is a linked hit', () => {
    const companyBlack = record({ legalRepName: '李四', legalRepId: PERSON });
    const v = computeVerdict(
      input({ subject: { type: '自然人', identifier: PERSON, name: '李四' }, records: [companyBlack] }),
    );
    expect(v.hits).toEqual([]);
    expect(v.headline).toBe('clear');
    expect(v.linkedHits).toEqual([
      {
        record: companyBlack,
        via: { relation: '所代表的组织', name: '某某贸易有限公司', identifier: COMPANY },
      },
    ]);
  });

  it('a record of the subject is not repeated as a linked hit', () => {
    const own = record({ legalRepId: PERSON });
    const v = computeVerdict(input({ records: [own], linked: [legalRep([own])] }));
    expect(v.hits.map((h) => h.record.id)).toEqual(['r1']);
    expect(v.linkedHits).toEqual([]);
  });
});

// ---------------------------------------------------------------- measures

describe('measures', () => {
  const suggested = (o: Partial<VerdictInput>) =>
    computeVerdict(input({ records: [record()], ...o })).measures.map((m) => m.measure.id);

  it('a measure applies only to records of its colours', () => {
    expect(suggested({ measures: [measure({ colours: ['watch'] })] })).toEqual([]);
    expect(suggested({ measures: [measure({ colours: ['watch', 'black'] })] })).toEqual(['m1']);
  });

  it('a measure applies only to its list types, or any with *', () => {
    expect(suggested({ measures: [measure({ listTypes: ['失信被执行人'] })] })).toEqual([]);
    expect(suggested({ measures: [measure({ listTypes: ['重大税收违法失信主体名单'] })] })).toEqual([
      'm1',
    ]);
  });

  it('a measure applies only to its matters, or any with *', () => {
    expect(suggested({ measures: [measure({ matters: ['mat-2'] })] })).toEqual([]);
    expect(suggested({ measures: [measure({ matters: ['mat-2', 'mat-1'] })] })).toEqual(['m1']);
  });

  it('a measure applies only in its implementing departments, or any with *', () => {
    expect(suggested({ measures: [measure({ implementingDepts: ['住房和城乡建设局'] })] })).toEqual([]);
    expect(suggested({ measures: [measure({ implementingDepts: ['市场监督管理局'] })] })).toEqual(['m1']);
  });

  it('a measure applies only to records at or above its minimum severity', () => {
    const records = [record({ severity: '一般' })];
    expect(suggested({ records, measures: [measure({ minSeverity: '严重' })] })).toEqual([]);
    expect(suggested({ records, measures: [measure({ minSeverity: '一般' })] })).toEqual(['m1']);
    expect(suggested({ records, measures: [measure({ minSeverity: '轻微' })] })).toEqual(['m1']);
  });

  it('minimum severity is ignored for red records', () => {
    const reward = measure({ kind: 'reward', colours: ['red'], minSeverity: '严重' });
    expect(suggested({ records: [red({ severity: '轻微' })], measures: [reward] })).toEqual(['m1']);
  });

  it('when a current edition is set, measures of other editions are not suggested', () => {
    const measures = [measure({ id: 'old', edition: '2019版' }), measure({ id: 'new' })];
    const rules = RulesConfig.parse({ currentEdition: '2024版' });
    expect(suggested({ measures, rules })).toEqual(['new']);
    expect(suggested({ measures })).toEqual(['new', 'old']);
  });

  it('the subject\'s own hits trigger measures aimed at the subject or both, not at persons', () => {
    const measures = [
      measure({ id: 'a', target: 'subject' }),
      measure({ id: 'b', target: 'both' }),
      measure({ id: 'c', target: 'person' }),
    ];
    expect(suggested({ measures })).toEqual(['a', 'b']);
  });

  it('linked hits trigger measures aimed at persons or both, not at the subject', () => {
    const measures = [
      measure({ id: 'a', target: 'subject' }),
      measure({ id: 'b', target: 'both' }),
      measure({ id: 'c', target: 'person' }),
    ];
    const rep = record({ id: 'p1', idNumber: PERSON, uscc: undefined, subjectType: '自然人' });
    const v = computeVerdict(input({ linked: [legalRep([rep])], measures }));
    expect(v.measures.map((m) => [m.measure.id, m.triggeredBy])).toEqual([
      ['b', ['p1']],
      ['c', ['p1']],
    ]);
  });

  it('each measure appears once, with all the record ids that triggered it', () => {
    const rep = record({ id: 'p1', idNumber: PERSON, uscc: undefined, subjectType: '自然人' });
    const v = computeVerdict(
      input({
        records: [record(), record({ id: 'r2', listType: '失信被执行人' })],
        linked: [legalRep([rep])],
        measures: [measure({ target: 'both' })],
      }),
    );
    expect(v.measures).toHaveLength(1);
    expect(v.measures[0]?.triggeredBy).toEqual(['r1', 'r2', 'p1']);
  });

  it('measures are ordered mandatory first, then punishment before reward, then by id', () => {
    const measures = [
      measure({ id: 'z-reward-opt', kind: 'reward', mandatory: false, colours: ['red', 'watch'] }),
      measure({ id: 'b-pun-opt', mandatory: false, colours: ['watch'] }),
      measure({ id: 'y-reward-man', kind: 'reward', colours: ['red', 'watch'] }),
      measure({ id: 'x-pun-man', colours: ['watch'] }),
      measure({ id: 'a-pun-man', colours: ['watch'] }),
    ];
    const v = computeVerdict(input({ records: [record({ colour: 'watch' })], measures }));
    expect(v.measures.map((m) => m.measure.id)).toEqual([
      'a-pun-man',
      'x-pun-man',
      'y-reward-man',
      'b-pun-opt',
      'z-reward-opt',
    ]);
  });
});

// ---------------------------------------------------------------- fast-track

describe('fast-track (容缺受理/绿色通道, 000 §三, 001 §十一, 004 §7)', () => {
  const fastTrack = (o: Partial<VerdictInput>) => computeVerdict(input(o)).fastTrack;

  it('never when the matter has no secondary materials', () => {
    const ft = fastTrack({ matter: matter({ secondaryMaterials: [] }), records: [red()] });
    expect(ft.eligible).toBe(false);
    expect(ft.reason).toContain('次要材料');
  });

  it('never with an active black record of the subject', () => {
    const ft = fastTrack({ records: [record()] });
    expect(ft).toMatchObject({ eligible: false });
    expect(ft.reason).toContain('重大税收违法失信主体名单');
  });

  it('never with an active watch record of the subject, even with a red record', () => {
    const ft = fastTrack({ records: [red(), record({ colour: 'watch', listType: '重点关注名单A' })] });
    expect(ft).toMatchObject({ eligible: false });
    expect(ft.reason).toContain('重点关注名单A');
  });

  it('never with an active black record of a linked party', () => {
    const rep = record({ id: 'p1', idNumber: PERSON, uscc: undefined, listType: '失信被执行人' });
    const ft = fastTrack({ records: [red()], linked: [legalRep([rep])] });
    expect(ft).toMatchObject({ eligible: false });
    expect(ft.reason).toContain('李四');
    expect(ft.reason).toContain('失信被执行人');
  });

  it('never after a breached commitment', () => {
    const ft = fastTrack({ records: [red()], commitments: [commitment({ status: 'breached' })] });
    expect(ft).toMatchObject({ eligible: false });
    expect(ft.reason).toContain('承诺');
  });

  it('an overdue open commitment is a breach', () => {
    const overdue = commitment({ deadline: addDays(TODAY, -1) });
    expect(fastTrack({ records: [red()], commitments: [overdue] }).eligible).toBe(false);
    const dueToday = commitment({ deadline: TODAY });
    expect(fastTrack({ records: [red()], commitments: [dueToday] }).eligible).toBe(true);
  });

  it('a supplied commitment does not bar fast-track', () => {
    const supplied = commitment({ status: 'supplied', deadline: '2026-01-01' });
    expect(fastTrack({ commitments: [supplied] }).eligible).toBe(true);
  });

  it('eligible on the red list (诚信典型)', () => {
    const ft = fastTrack({ records: [red()] });
    expect(ft).toMatchObject({ eligible: true, basis: 'red_list' });
    expect(ft.reason).toContain('纳税信用A级纳税人');
  });

  it('eligible with a clean record of three years (连续三年无不良信用记录)', () => {
    const ft = fastTrack({ records: [] });
    expect(ft).toMatchObject({ eligible: true, basis: 'clean_record' });
    expect(ft.reason).toContain('3 年');
  });

  it('not eligible when a black record was in force within the last three years', () => {
    const old = record({ validFrom: '2023-01-01', validTo: '2024-06-30', designatedOn: '2023-01-01' });
    const ft = fastTrack({ records: [old] });
    expect(ft).toMatchObject({ eligible: false });
    expect(ft.basis).toBeUndefined();
    expect(ft.reason).toContain('重大税收违法失信主体名单');
    expect(ft.reason).toContain('2024-06-30');
  });

  it('a record removed or repaired early stops being in force on that date', () => {
    const removed = record({ validFrom: '2022-01-01', validTo: '2025-12-31', removedOn: '2023-11-01' });
    expect(fastTrack({ records: [removed] })).toMatchObject({ eligible: true, basis: 'clean_record' });
    const repaired = record({ validFrom: '2022-01-01', validTo: undefined, repairedOn: '2024-01-01' });
    expect(fastTrack({ records: [repaired] }).eligible).toBe(false);
  });

  it('a record that ended more than three years ago does not bar a clean record', () => {
    const old = record({ validFrom: '2020-01-01', validTo: '2023-11-19', designatedOn: '2020-01-01' });
    expect(fastTrack({ records: [old] })).toMatchObject({ eligible: true, basis: 'clean_record' });
  });

  it('a record whose objection was upheld never counts against a clean record', () => {
    const voided = record({ objection: 'upheld' });
    expect(fastTrack({ records: [voided] })).toMatchObject({ eligible: true, basis: 'clean_record' });
  });

  it('a suspended black record still counts against a clean record', () => {
    const pending = record({ objection: 'pending' });
    expect(fastTrack({ records: [pending] }).eligible).toBe(false);
  });

  it('a black record under objection bars fast-track even for a red-list subject until decided', () => {
    const pending = record({ id: 'B-PENDING', objection: 'pending' });
    const red = record({ id: 'R-ACTIVE', colour: 'red', listType: '纳税信用A级纳税人' });
    const ft = fastTrack({ records: [pending, red] });
    expect(ft.eligible).toBe(false);
    expect(ft.reason).toContain('异议处理中');
  });

  it('the clean-record period is configuration', () => {
    const old = record({ validFrom: '2023-01-01', validTo: '2024-06-30' });
    const rules = RulesConfig.parse({ cleanYears: 2 });
    expect(fastTrack({ records: [old], rules })).toMatchObject({ eligible: true, basis: 'clean_record' });
  });
});

// ---------------------------------------------------------------- staleness

describe('staleness', () => {
  it('a mirror that was never synced is stale and says so', () => {
    const s = computeVerdict(input({ mirrorAsOf: null })).staleness;
    expect(s).toMatchObject({ stale: true, asOf: null, ageHours: null });
    expect(s.message).toContain('从未同步');
  });

  it('a mirror older than the freshness limit is stale with the 数据截至 message in China time', () => {
    const asOf = Date.UTC(2026, 10, 19, 0, 0); // 2026-11-19 08:00 in China
    const s = computeVerdict(input({ mirrorAsOf: asOf })).staleness;
    expect(s).toEqual({
      stale: true,
      asOf,
      ageHours: 26,
      message: '数据截至 2026-11-19 08:00，请联网复核',
    });
  });

  it('a mirror within the freshness limit is not stale', () => {
    const s = computeVerdict(input({ mirrorAsOf: NOW - 24 * HOUR })).staleness;
    expect(s.stale).toBe(false);
    expect(s.message).toBeUndefined();
  });

  it('the freshness limit is configuration', () => {
    const rules = RulesConfig.parse({ mirrorMaxAgeHours: 2 });
    expect(computeVerdict(input({ mirrorAsOf: NOW - 3 * HOUR, rules })).staleness.stale).toBe(true);
  });

  it('age is rounded to 0.1 hour', () => {
    const s = computeVerdict(input({ mirrorAsOf: NOW - 1.26 * HOUR })).staleness;
    expect(s.ageHours).toBe(1.3);
  });
});

describe('today', () => {
  it('today is the China date of now', () => {
    const lateUtc = Date.UTC(2026, 10, 20, 17, 0); // 2026-11-21 01:00 in China
    expect(computeVerdict(input({ now: lateUtc })).today).toBe('2026-11-21');
  });
});

// ---------------------------------------------------------------- decisions

describe('missingDecisions', () => {
  const v = computeVerdict(
    input({
      records: [record()],
      measures: [measure({ id: 'm1', title: '从严审核' }), measure({ id: 'm2', title: '限制参评' })],
    }),
  );

  it('every suggested measure needs a decision', () => {
    const problems = missingDecisions(v, [{ measureId: 'm1', decision: '执行' }]);
    expect(problems).toEqual([{ measureId: 'm2', problem: '「限制参评」尚未选择执行或不执行' }]);
  });

  it('不执行 needs a non-blank reason', () => {
    const decisions: MeasureDecision[] = [
      { measureId: 'm1', decision: '不执行', reason: '   ' },
      { measureId: 'm2', decision: '不执行' },
    ];
    expect(missingDecisions(v, decisions).map((p) => p.problem)).toEqual([
      '「从严审核」不执行须填写理由',
      '「限制参评」不执行须填写理由',
    ]);
  });

  it('no problems when every measure is decided', () => {
    const decisions: MeasureDecision[] = [
      { measureId: 'm1', decision: '执行' },
      { measureId: 'm2', decision: '不执行', reason: '该措施不适用于本事项' },
    ];
    expect(missingDecisions(v, decisions)).toEqual([]);
  });
});

// ---------------------------------------------------------------- properties

const dateArb = fc.integer({ min: -2000, max: 800 }).map((n) => addDays(TODAY, n));
const optionalDate = fc.option(dateArb, { nil: undefined });
const LIST_TYPES = ['甲名单', '乙名单', '丙名单'];
const MATTERS = ['mat-1', 'mat-2'];
const DEPTS = ['市场监督管理局', '税务局'];

/** Any dates and objection state: most such records are set aside. */
const anyRecordArb = fc.record({
  objection: fc.constantFrom('none', 'pending', 'rejected', 'upheld' as const),
  validFrom: dateArb,
  validTo: optionalDate,
  removedOn: optionalDate,
  repairedOn: optionalDate,
});

/** In force today, so that black and red records often meet. */
const liveRecordArb = fc.record({
  objection: fc.constantFrom('none', 'rejected' as const),
  validFrom: fc.integer({ min: -1000, max: 0 }).map((n) => addDays(TODAY, n)),
  validTo: fc.option(fc.integer({ min: 0, max: 1000 }).map((n) => addDays(TODAY, n)), { nil: undefined }),
});

const recordArb = (id: string) =>
  fc
    .record({
      colour: fc.constantFrom('red', 'black', 'watch' as const),
      listType: fc.constantFrom(...LIST_TYPES),
      severity: fc.constantFrom('轻微', '一般', '严重' as const),
      version: fc.integer({ min: 1, max: 3 }),
      dates: fc.oneof(anyRecordArb, liveRecordArb),
    })
    .map(({ dates, ...o }) => record({ id, ...o, ...dates, designatedOn: dates.validFrom }));

const recordsArb = (prefix: string) =>
  fc
    .array(fc.nat({ max: 5 }), { maxLength: 6 })
    .chain((ids) => fc.tuple(...ids.map((n) => recordArb(`${prefix}${n}`))));

const anyOrArb = (values: string[]) =>
  fc.oneof(fc.constant<string[]>(['*']), fc.subarray(values, { minLength: 1 }));

const measureArb = (id: string) =>
  fc
    .record({
      edition: fc.constantFrom('2019版', '2024版'),
      kind: fc.constantFrom('reward', 'punishment' as const),
      mandatory: fc.boolean(),
      colours: fc.subarray(['red', 'black', 'watch'] as const, { minLength: 1 }),
      listTypes: anyOrArb(LIST_TYPES),
      matters: anyOrArb(MATTERS),
      implementingDepts: anyOrArb(DEPTS),
      minSeverity: fc.constantFrom('轻微', '一般', '严重' as const),
      target: fc.constantFrom('subject', 'person', 'both' as const),
    })
    .map((o) => measure({ id, ...o, colours: [...o.colours] }));

const inputArb = fc
  .record({
    own: recordsArb('own'),
    rep: recordsArb('rep'),
    org: recordsArb('org'),
    measures: fc.array(fc.nat({ max: 20 }), { maxLength: 8 }).chain((ids) =>
      fc.tuple(...ids.map((n) => measureArb(`m${n}`))),
    ),
    matterId: fc.constantFrom(...MATTERS),
    department: fc.constantFrom(...DEPTS),
    edition: fc.option(fc.constantFrom('2019版', '2024版'), { nil: undefined }),
    mirrorAge: fc.option(fc.integer({ min: 0, max: 100 * HOUR }), { nil: null }),
  })
  .map(
    (g): VerdictInput =>
      input({
        records: g.own,
        linked: [
          legalRep(g.rep),
          { relation: '所代表的组织', name: '某某公司', identifier: 'X', records: g.org },
        ],
        measures: g.measures,
        matter: matter({ id: g.matterId }),
        department: g.department,
        mirrorAsOf: g.mirrorAge === null ? null : NOW - g.mirrorAge,
        rules: RulesConfig.parse({ currentEdition: g.edition }),
      }),
  );

describe('properties', () => {
  it('never suggests a measure triggered by an expired, removed, repaired or suspended record', () => {
    fc.assert(
      fc.property(inputArb, (vi) => {
        const v = computeVerdict(vi);
        const counted = new Map([...v.hits, ...v.linkedHits].map((h) => [h.record.id, h.record]));
        for (const s of v.measures)
          for (const id of s.triggeredBy) {
            const rec = counted.get(id);
            expect(rec).toBeDefined();
            expect(recordState(rec!, v.today)).toBe('active');
          }
      }),
    );
  });

  it('when a current edition is set, every suggested measure is of that edition', () => {
    fc.assert(
      fc.property(inputArb, (vi) => {
        const edition = vi.rules?.currentEdition;
        for (const s of computeVerdict(vi).measures)
          if (edition !== undefined) expect(s.measure.edition).toBe(edition);
      }),
    );
  });

  it('black and red are never both counted in hits', () => {
    fc.assert(
      fc.property(inputArb, (vi) => {
        const colours = new Set(computeVerdict(vi).hits.map((h) => h.record.colour));
        expect(colours.has('black') && colours.has('red')).toBe(false);
      }),
    );
  });

  it('every record is either counted or set aside, once', () => {
    fc.assert(
      fc.property(inputArb, (vi) => {
        const v = computeVerdict(vi);
        const shown = [...v.hits, ...v.linkedHits, ...v.setAside].map((x) => x.record.id).sort();
        const given = [...vi.records, ...vi.linked.flatMap((p) => p.records)].map((r) => r.id);
        expect(shown).toEqual([...new Set(given)].sort());
      }),
    );
  });

  it('computeVerdict is deterministic and does not mutate its input', () => {
    fc.assert(
      fc.property(inputArb, (vi) => {
        const before = structuredClone(vi);
        const first = computeVerdict(vi);
        expect(computeVerdict(structuredClone(vi))).toEqual(first);
        expect(vi).toEqual(before);
      }),
    );
  });
});
