/** 统计 (跟踪、监测、统计): placeholder until the dashboard lands. */
import { Typography } from 'antd';

export function StatsPage() {
  return <Typography.Title level={4}>统计</Typography.Title>;
}
