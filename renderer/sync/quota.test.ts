import { describe, expect, it } from 'vitest';
import { BYTES_PER_RECORD } from '../app/storage';
import { STAGED_BYTES_PER_RECORD, firstLoadBytes, firstLoadQuotaProblem } from './quota';

const MB = 2 ** 20;

describe('free space for a first load', () => {
  it('needs the staged pages and two mirrors at the peak', () => {
    expect(firstLoadBytes(1000)).toBe(1000 * (STAGED_BYTES_PER_RECORD + 2 * BYTES_PER_RECORD));
  });

  it('says nothing when there is room, or when the browser cannot estimate', async () => {
    const need = firstLoadBytes(1_000_000);
    expect(await firstLoadQuotaProblem(1_000_000, async () => ({ quota: need + 5 * MB, usage: 5 * MB }))).toBeNull();
    expect(await firstLoadQuotaProblem(1_000_000, async () => undefined)).toBeNull();
    expect(await firstLoadQuotaProblem(1_000_000, async () => ({ quota: 10 }))).toBeNull();
    expect(await firstLoadQuotaProblem(1_000_000, () => Promise.reject(new Error('no estimate')))).toBeNull();
  });

  it('refuses one byte short, naming the records, the need and what is free', async () => {
    const need = firstLoadBytes(1_000_000);
    const message = await firstLoadQuotaProblem(1_000_000, async () => ({ quota: need - 1 + 300 * MB, usage: 300 * MB }));
    expect(message).toBe(
      `磁盘空间不足，未开始下载名单：平台共有约 1,000,000 条名单，下载并建立本机名单约需 ${Math.ceil(need / MB).toLocaleString('zh-CN')} MB，` +
        `当前可用约 ${Math.ceil((need - 1) / MB).toLocaleString('zh-CN')} MB。请清理磁盘后再同步，本机现有名单保持不变，仍可用于核查。`,
    );
  });
});
