import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fillTemplate, templateBlocks } from '../../shared/domain/templates';

const dir = resolve(import.meta.dirname, '../../resources/templates');

describe('printed templates', () => {
  it('fills every field it names', () => {
    expect(fillTemplate('{{a}} 与 {{b}}', { a: '甲', b: '乙' })).toBe('甲 与 乙');
  });

  it('a missing field is an error naming it, never a blank on paper', () => {
    expect(() => fillTemplate('{{a}} {{deadline}}', { a: '甲' })).toThrow('deadline');
  });

  it.each(['commitment-letter.txt', 'fast-track-notice.txt'])('%s opens with its title and names the deadline', (file) => {
    const text = readFileSync(resolve(dir, file), 'utf8');
    const blocks = templateBlocks(text);
    expect(blocks[0]?.kind).toBe('title');
    expect(text).toContain('{{deadline}}');
    expect(text).toContain('{{materials}}');
  });
});
