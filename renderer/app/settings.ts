/** Local settings of this workstation, kept in the meta table and parsed on every read. */
import { z } from 'zod';
import { DEFAULT_INSPECTION_CONFIG, InspectionConfig } from '../../shared/domain/supervision';
import type { HechataiDb } from '../db/database';
import { MetaKeys, readMeta, writeMeta } from '../db/meta';
import { withAudit } from '../db/audit-log';
import { requirePermission, requireSignedIn, type Session } from '../db/session';

export const Settings = z.object({
  /** Before accounts existed, the name records were signed with; now each account's name is. */
  clerk: z.string().min(1).max(100).optional(),
  district: z.string().max(100),
  /** A mirror older than this is flagged on every verdict (数据截至…请联网复核). */
  mirrorMaxAgeHours: z.number().positive().max(24 * 365),
  fontSize: z.number().int().min(12).max(24),
  /** 分类监管: suggested inspections per year by class (settings saved before it take the default). */
  inspection: InspectionConfig.default(DEFAULT_INSPECTION_CONFIG),
});
export type Settings = z.infer<typeof Settings>;

export const DEFAULT_SETTINGS: Settings = {
  district: '示例市示例区',
  mirrorMaxAgeHours: 24,
  fontSize: 16,
  inspection: DEFAULT_INSPECTION_CONFIG,
};

export async function loadSettings(db: HechataiDb): Promise<Settings> {
  return (await readMeta(db, MetaKeys.settings, Settings)) ?? DEFAULT_SETTINGS;
}

/**
 * Font size is each clerk's own comfort; every other setting is the workstation's and needs
 * 'settings.change' (管理员), checked here and written to the audit trail with what changed.
 */
export async function saveSettings(db: HechataiDb, session: Session, before: Settings, s: Settings, now: number): Promise<void> {
  const next = Settings.parse(s);
  const changed = (Object.keys(next) as (keyof Settings)[]).filter((k) => next[k] !== before[k]);
  if (changed.length === 0) return;
  if (changed.every((k) => k === 'fontSize')) {
    requireSignedIn(session);
    await writeMeta(db, MetaKeys.settings, next);
    return;
  }
  requirePermission(session, 'settings.change');
  await withAudit(db, [], () => writeMeta(db, MetaKeys.settings, next), {
    at: now,
    actor: session.login,
    role: session.role,
    action: 'settings',
    detail: { fields: changed.sort().join(',') },
  });
}
