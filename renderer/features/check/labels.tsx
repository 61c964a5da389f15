/** Chinese labels for verdict values, kept apart so screens and print-outs say the same. */
import { Tag } from 'antd';
import type { Headline, ListColour } from '../../../shared/domain/schemas';
import type { SetAsideReason } from '../../../shared/domain/verdict';

export const HEADLINE: Record<Headline, { title: string; type: 'error' | 'warning' | 'success' | 'info' }> = {
  black: { title: '命中失信黑名单', type: 'error' },
  watch: { title: '命中重点关注名单', type: 'warning' },
  red: { title: '守信红名单主体', type: 'success' },
  clear: { title: '未发现有效的红黑名单记录', type: 'info' },
};

export const SET_ASIDE_LABEL: Record<SetAsideReason, string> = {
  expired: '已到期',
  not_yet_valid: '尚未生效',
  removed: '已移出',
  repaired: '已信用修复',
  suspended: '异议处理中（暂停执行）',
  objection_upheld: '异议成立（已撤销）',
  black_wins: '因在黑名单中不予适用',
};

const COLOUR: Record<ListColour, { label: string; color: string }> = {
  black: { label: '黑名单', color: 'black' },
  red: { label: '红名单', color: 'red' },
  watch: { label: '重点关注', color: 'orange' },
};

export function colourTag(c: ListColour) {
  return <Tag color={COLOUR[c].color}>{COLOUR[c].label}</Tag>;
}
