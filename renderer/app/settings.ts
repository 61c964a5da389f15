/** Local settings of this workstation, kept in the meta table and parsed on every read. */
import { z } from 'zod';
import { DEFAULT_INSPECTION_CONFIG, InspectionConfig } from '../../shared/domain/supervision';
import type { HechataiDb } from '../db/database';
import { MetaKeys, readMeta, writeMeta } from '../db/meta';

export const Settings = z.object({
  /** 经办人: until accounts exist, the name the clerk enters for this workstation. */
  clerk: z.string().min(1).max(100),
  district: z.string().max(100),
  /** A mirror older than this is flagged on every verdict (数据截至…请联网复核). */
  mirrorMaxAgeHours: z.number().positive().max(24 * 365),
  fontSize: z.number().int().min(12).max(24),
  /** 分类监管: suggested inspections per year by class (settings saved before it take the default). */
  inspection: InspectionConfig.default(DEFAULT_INSPECTION_CONFIG),
});
export type Settings = z.infer<typeof Settings>;

export const DEFAULT_SETTINGS: Settings = {
  clerk: '示例窗口人员',
  district: '示例市示例区',
  mirrorMaxAgeHours: 24,
  fontSize: 16,
  inspection: DEFAULT_INSPECTION_CONFIG,
};

export async function loadSettings(db: HechataiDb): Promise<Settings> {
  return (await readMeta(db, MetaKeys.settings, Settings)) ?? DEFAULT_SETTINGS;
}

export async function saveSettings(db: HechataiDb, s: Settings): Promise<void> {
  await writeMeta(db, MetaKeys.settings, Settings.parse(s));
}
