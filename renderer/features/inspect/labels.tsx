/** Chinese labels of the inspector's screens: supervision classes and where a record stands with the platform. */
import { Tag } from 'antd';
import type { SupervisionClass } from '../../../shared/domain/schemas';
import type { SyncState } from '../../db/inspections';

const CLASS_COLOR: Record<SupervisionClass, string> = { 重点监管: 'red', 一般: 'blue', 信用良好: 'green' };

/** Why a subject is in its class, in a line. */
export const CLASS_REASON: Record<SupervisionClass, string> = {
  重点监管: '有效的严重失信黑名单或重点关注名单记录',
  一般: '无有效的严重失信或守信记录',
  信用良好: '有效的守信红名单记录，且无有效黑名单记录',
};

export function classTag(c: SupervisionClass) {
  return (
    <Tag color={CLASS_COLOR[c]} data-testid="supervision-class" data-class={c}>
      {c}
    </Tag>
  );
}

const SYNC: Record<SyncState, { label: string; color: string }> = {
  pending: { label: '待上报', color: 'gold' },
  accepted: { label: '已上报', color: 'green' },
  rejected: { label: '平台退回', color: 'red' },
  withdrawn: { label: '已撤回', color: 'default' },
  missing: { label: '未入队', color: 'red' },
};

export function syncTag(s: SyncState, error?: string) {
  return (
    <Tag color={SYNC[s].color} data-testid="inspection-sync" data-sync={s} title={error}>
      {SYNC[s].label}
    </Tag>
  );
}
