/** Always visible: where the mirror comes from, how old it is, how many records wait to sync. */
import { Space, Tag, Typography } from 'antd';
import { useApp } from './AppContext';
import { formatMoment } from './format';
import { stalenessOf } from '../../shared/domain/verdict';
import { SyncStatusTag } from '../features/sync/SyncStatusTag';

const SOURCE_LABEL = { sample: '示例数据', platform: '市信用平台', file: '文件导入' } as const;

export function StatusBar({ onSync }: { onSync: () => void }) {
  const { mirror, settings, now, sync, actor } = useApp();
  // The same rule as the verdict's staleness warning, from shared/domain.
  const { stale } = stalenessOf(mirror.asOf, now(), settings.mirrorMaxAgeHours);
  return (
    <div className="status-bar" data-testid="status-bar" role="status">
      <Space size="large" wrap>
        <SyncStatusTag sync={sync} onClick={onSync} />
        <span>
          名单来源：<Tag color={mirror.source === 'platform' ? 'blue' : 'gold'}>{mirror.source ? SOURCE_LABEL[mirror.source] : '无'}</Tag>
        </span>
        <span>
          数据截至：
          <Typography.Text type={stale ? 'danger' : undefined} strong={stale}>
            {mirror.asOf === null ? '从未同步' : formatMoment(mirror.asOf)}
            {stale ? '（已过期，请联网复核）' : ''}
          </Typography.Text>
        </span>
        <span>待上报：{mirror.pending} 条</span>
        <span>经办人：{actor.name}（{actor.department}）</span>
      </Space>
    </div>
  );
}
