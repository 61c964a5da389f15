/**
 * The sample measure list and matter catalogue (resources/sample/*.json) must be consistent with
 * the schemas, with each other and with the generator's list-type vocabulary.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Matter, Measure, MeasureCategory } from '../domain/schemas';
import measuresJson from '../../resources/sample/measures.json';
import mattersJson from '../../resources/sample/matters.json';
import { LIST_TYPES } from './generator';

const measures = z.array(Measure).parse(measuresJson);
const matters = z.array(Matter).parse(mattersJson);
const departments = [...new Set(matters.map((m) => m.department))];
const CURRENT = '2024版';
const current = measures.filter((m) => m.edition === CURRENT);

const anyOr = (list: readonly string[], v: string): boolean => list.includes('*') || list.includes(v);

describe('matters.json', () => {
  it('parses and has unique ids', () => {
    expect(matters.length).toBeGreaterThanOrEqual(12);
    expect(new Set(matters.map((m) => m.id)).size).toBe(matters.length);
    expect(new Set(matters.map((m) => m.name)).size).toBe(matters.length);
  });

  it('covers the six departments', () => {
    expect(new Set(departments)).toEqual(
      new Set(['市场监督管理局', '住房和城乡建设局', '生态环境局', '税务局', '发展和改革委员会', '人力资源和社会保障局']),
    );
  });

  it('has matters with and without secondary materials (容缺受理 possible or not)', () => {
    expect(matters.some((m) => m.secondaryMaterials.length === 0)).toBe(true);
    expect(matters.some((m) => m.secondaryMaterials.length > 0)).toBe(true);
    expect(matters.some((m) => m.subjectTypes.includes('自然人'))).toBe(true);
    expect(matters.some((m) => m.subjectTypes.includes('个体工商户'))).toBe(true);
  });
});

describe('measures.json', () => {
  it('parses, unchanged, with unique ids', () => {
    // Defaults must not be relied on: the file states every field.
    expect(measures).toEqual(measuresJson);
    expect(measures.length).toBeGreaterThanOrEqual(40);
    expect(measures.length).toBeLessThanOrEqual(60);
    expect(new Set(measures.map((m) => m.id)).size).toBe(measures.length);
  });

  it('names only departments of the matter catalogue, or *', () => {
    for (const m of measures) {
      for (const d of m.implementingDepts) expect([...departments, '*'], m.id).toContain(d);
    }
  });

  it('names only matters of the catalogue, or *, run by an implementing department', () => {
    const byId = new Map(matters.map((m) => [m.id, m]));
    for (const m of measures) {
      for (const id of m.matters) {
        if (id === '*') continue;
        const matter = byId.get(id);
        expect(matter, `${m.id} → ${id}`).toBeDefined();
        if (matter) expect(anyOr(m.implementingDepts, matter.department), `${m.id} → ${id}`).toBe(true);
      }
    }
  });

  it('uses only list types of the generator vocabulary, of a matching colour', () => {
    for (const m of measures) {
      for (const t of m.listTypes) {
        if (t === '*') continue;
        const spec = LIST_TYPES.find((s) => s.name === t);
        expect(spec, `${m.id}: ${t}`).toBeDefined();
        if (spec) expect(m.colours, `${m.id}: ${t}`).toContain(spec.colour);
      }
    }
  });

  it('punishes black / watch lists and rewards red lists', () => {
    for (const m of measures) {
      if (m.kind === 'reward') expect(m.colours, m.id).toEqual(['red']);
      else expect(m.colours.every((c) => c === 'black' || c === 'watch'), m.id).toBe(true);
    }
  });

  it('covers all categories for both kinds, both 强制性 and 推荐性, all levels and two editions', () => {
    for (const kind of ['reward', 'punishment'] as const) {
      for (const category of MeasureCategory.options) {
        expect(current.some((m) => m.kind === kind && m.category === category), `${kind} ${category}`).toBe(true);
      }
    }
    expect(new Set(measures.map((m) => m.mandatory))).toEqual(new Set([true, false]));
    expect(new Set(measures.map((m) => m.level))).toEqual(new Set(['国家', '省级', '市级']));
    expect(new Set(measures.map((m) => m.edition))).toEqual(new Set(['2024版', '2021版']));
    expect(current.length).toBeGreaterThan(measures.length * 0.8);
    expect(measures.some((m) => m.target === 'person')).toBe(true);
    expect(measures.some((m) => m.colours.includes('watch'))).toBe(true);
  });

  it('cites a legal basis for every measure', () => {
    for (const m of measures) {
      expect(m.basis, m.id).toMatch(/《.+》/u);
      expect(m.content.length, m.id).toBeGreaterThan(10);
    }
  });

  it('gives every department a mandatory punishment of its own in the current edition', () => {
    for (const d of departments) {
      expect(
        current.some((m) => m.kind === 'punishment' && m.mandatory && m.implementingDepts.includes(d)),
        d,
      ).toBe(true);
    }
  });

  it('suggests several measures for every matter, including a mandatory punishment and a reward', () => {
    for (const matter of matters) {
      const applicable = current.filter(
        (m) => anyOr(m.matters, matter.id) && anyOr(m.implementingDepts, matter.department),
      );
      expect(applicable.length, matter.id).toBeGreaterThanOrEqual(5);
      expect(applicable.some((m) => m.kind === 'punishment' && m.mandatory), matter.id).toBe(true);
      expect(applicable.some((m) => m.kind === 'reward'), matter.id).toBe(true);
      // And at least one measure written for this matter or department specifically.
      expect(
        applicable.some((m) => m.matters.includes(matter.id) || m.implementingDepts.includes(matter.department)),
        matter.id,
      ).toBe(true);
    }
  });
});
