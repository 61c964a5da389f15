import { describe, expect, it } from 'vitest';
import { lookupStatusText } from './LookupStatus';

const base = { fromFile: 12, fromDatabase: 3, staleFound: 0, building: false };

describe('lookupStatusText', () => {
  it('names the file in use, its generation and size, and who answered how often', () => {
    expect(lookupStatusText({ kind: 'stats', stats: { ...base, file: { gen: 4, builtAt: 1, buildMs: 13_000, bytes: 180.4 * 2 ** 20 } } })).toBe(
      '查询文件：第 4 代名单，180.4 MB；已由查询文件作答 12 次，经本地数据库 3 次',
    );
  });

  it('says when the file is being built, failed, not yet asked for, or cannot be had here', () => {
    expect(lookupStatusText({ kind: 'stats', stats: { ...base, building: true } })).toMatch(/^正在生成查询文件/);
    expect(lookupStatusText({ kind: 'stats', stats: { ...base, buildError: '查询文件损坏：索引页过短' } })).toMatch(/^查询文件不可用（查询文件损坏：索引页过短）/);
    expect(lookupStatusText({ kind: 'stats', stats: base })).toMatch(/^经本地数据库查询（首次查询后生成查询文件）/);
    expect(lookupStatusText({ kind: 'none' })).toBe('经本地数据库查询（本环境不支持查询文件）');
  });
});
