/**
 * The compact sync indicator for the status bar: online / offline, records waiting, a first load
 * in progress, and the last error on hover. Clicking it may open the sync page (`onClick`).
 */
import { Tag, Tooltip } from 'antd';
import { statusHeadline, type SyncStatus } from '../../../shared/sync/engine-core';
import { formatMoment } from '../../app/format';
import type { SyncStatusSource } from '../../sync/store';
import { useSyncStatus } from './useSyncStatus';

function colourOf(s: SyncStatus): string {
  if (!s.enrolment || s.tokenMissing) return 'gold';
  if (s.lastError && s.connectivity !== 'online') return 'red';
  if (s.connectivity === 'online') return s.rejected > 0 || s.lastError ? 'orange' : 'green';
  if (s.connectivity === 'offline') return 'red';
  return 'default';
}

function details(s: SyncStatus): string {
  const lines: string[] = [];
  lines.push(`名单最近完整：${s.mirrorCompleteAt === null ? '从未从平台同步' : formatMoment(s.mirrorCompleteAt)}`);
  if (s.checkedAt !== null) lines.push(`最近连接检查：${formatMoment(s.checkedAt)}`);
  if (s.nextAttemptAt !== null) lines.push(`下次自动同步：${formatMoment(s.nextAttemptAt)}`);
  if (s.lastError) lines.push(`最近错误：${s.lastError.message}`);
  return lines.join('\n');
}

export function SyncStatusTag({ sync, onClick }: { sync: SyncStatusSource; onClick?: () => void }) {
  const s = useSyncStatus(sync);
  const busy = s.phase !== 'idle';
  return (
    <Tooltip title={<span style={{ whiteSpace: 'pre-line' }}>{details(s)}</span>}>
      <Tag
        color={colourOf(s)}
        data-testid="sync-status-tag"
        data-connectivity={s.connectivity}
        onClick={onClick}
        style={onClick ? { cursor: 'pointer' } : undefined}
      >
        {statusHeadline(s)}
        {busy && !s.load ? ' · 同步中' : ''}
      </Tag>
    </Tooltip>
  );
}
