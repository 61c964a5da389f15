/** 现场检查 (分类监管): placeholder until the inspector screens land. */
import { Typography } from 'antd';

export function InspectPage() {
  return <Typography.Title level={4}>现场检查</Typography.Title>;
}
