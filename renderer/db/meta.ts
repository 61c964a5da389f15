import type { z } from 'zod';
import type { HechataiDb } from './database';

/** Typed access to the meta table: every value is parsed on the way out. */
export async function readMeta<T>(db: HechataiDb, key: string, schema: z.ZodType<T>): Promise<T | undefined> {
  const row = await db.meta.get(key);
  if (!row) return undefined;
  const parsed = schema.safeParse(row.value);
  return parsed.success ? parsed.data : undefined;
}

export async function writeMeta(db: HechataiDb, key: string, value: unknown): Promise<void> {
  await db.meta.put({ key, value });
}

export const MetaKeys = {
  mirrorAsOf: 'mirror.asOf',
  mirrorSource: 'mirror.source',
  settings: 'settings',
  lastMatter: 'check.lastMatter',
  outboxSeq: 'outbox.seq',
} as const;
