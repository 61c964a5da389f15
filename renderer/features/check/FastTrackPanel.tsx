/**
 * 容缺受理 / 绿色通道, offered only when the verdict says the subject is eligible. The clerk
 * picks the missing secondary materials and a deadline no later than the matter's limit.
 */
import { Alert, Card, Checkbox, DatePicker, Form, Space, Switch, Typography } from 'antd';
import dayjs from 'dayjs';
import type { Matter } from '../../../shared/domain/schemas';
import type { FastTrack } from '../../../shared/domain/verdict';
import { commitmentDeadlineLimit } from '../../../shared/domain/commitments';
import { addDays, chinaDate, type RulesConfig } from '../../../shared/domain/rules-config';

export interface FastTrackChoice {
  greenChannel: boolean;
  fastTrack: boolean;
  materials: string[];
  deadline: string | null;
}

export const NO_FAST_TRACK: FastTrackChoice = { greenChannel: false, fastTrack: false, materials: [], deadline: null };

interface Props {
  verdict: FastTrack;
  matter: Matter;
  at: number;
  rules: RulesConfig;
  value: FastTrackChoice;
  onChange: (v: FastTrackChoice) => void;
  error: string | null;
  readOnly: boolean;
}

export function FastTrackPanel({ verdict, matter, at, rules, value, onChange, error, readOnly }: Props) {
  if (!verdict.eligible) {
    return (
      <Card size="small" title="容缺受理 / 绿色通道" data-testid="fast-track" data-eligible="false">
        <Typography.Text type="secondary">不适用：{verdict.reason}</Typography.Text>
      </Card>
    );
  }
  const limit = commitmentDeadlineLimit(matter, at, rules);
  const tomorrow = addDays(chinaDate(at), 1);
  return (
    <Card size="small" title="容缺受理 / 绿色通道（可适用）" data-testid="fast-track" data-eligible="true">
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Text>{verdict.reason}</Typography.Text>
        <Space size="large" wrap>
          <span>
            <Switch
              disabled={readOnly}
              checked={value.greenChannel}
              onChange={(greenChannel) => onChange({ ...value, greenChannel })}
              data-testid="green-channel"
            />{' '}
            按绿色通道优先办理
          </span>
          <span>
            <Switch
              disabled={readOnly || matter.secondaryMaterials.length === 0}
              checked={value.fastTrack}
              onChange={(fastTrack) => onChange({ ...value, fastTrack, deadline: value.deadline ?? limit })}
              data-testid="use-fast-track"
            />{' '}
            容缺受理（申请人签署信用承诺书）
          </span>
        </Space>
        {value.fastTrack && (
          <Form layout="vertical" component={false}>
            <Form.Item label="暂缺的次要材料" required>
              <Checkbox.Group
                disabled={readOnly}
                data-testid="missing-materials"
                options={matter.secondaryMaterials}
                value={value.materials}
                onChange={(materials) => onChange({ ...value, materials: materials.map(String) })}
              />
            </Form.Item>
            <Form.Item label={`补齐期限（最迟 ${limit}，即法定办结时限内）`} required>
              <DatePicker
                disabled={readOnly}
                data-testid="commitment-deadline"
                value={value.deadline ? dayjs(value.deadline) : null}
                disabledDate={(d) => {
                  const s = d.format('YYYY-MM-DD');
                  return s < tomorrow || s > limit;
                }}
                onChange={(d) => onChange({ ...value, deadline: d ? d.format('YYYY-MM-DD') : null })}
              />
            </Form.Item>
          </Form>
        )}
        {error && <Alert type="error" showIcon title={error} data-testid="fast-track-error" />}
      </Space>
    </Card>
  );
}
