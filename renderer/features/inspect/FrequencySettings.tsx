/**
 * 检查频次设置 (分类监管): suggested inspections per year for each supervision class. A
 * workstation setting, so only an account allowed to change settings may save it.
 */
import { useState } from 'react';
import { App as AntApp, Button, Form, InputNumber, Modal, Tooltip, Typography } from 'antd';
import { can } from '../../../shared/domain/accounts';
import type { SupervisionClass } from '../../../shared/domain/schemas';
import { DEFAULT_INSPECTION_CONFIG, InspectionConfig, frequencyText } from '../../../shared/domain/supervision';
import { useApp } from '../../app/AppContext';
import { CLASS_REASON } from './labels';

const CLASSES: SupervisionClass[] = ['重点监管', '一般', '信用良好'];

export function FrequencySettings() {
  const app = useApp();
  const { message } = AntApp.useApp();
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState<Record<SupervisionClass, number | null>>({ ...app.settings.inspection });
  const [error, setError] = useState<string | null>(null);
  const allowed = can(app.actor.role, 'settings.change');

  function show() {
    setDraft({ ...app.settings.inspection });
    setError(null);
    setOpen(true);
  }

  async function save() {
    const empty = CLASSES.filter((c) => draft[c] === null);
    if (empty.length > 0) {
      setError(`请填写${empty.join('、')}对象的每年检查次数`);
      return;
    }
    const parsed = InspectionConfig.safeParse(draft);
    if (!parsed.success) {
      const where = (i: { path: PropertyKey[]; message: string }) => String(i.path[0] ?? '');
      setError(parsed.error.issues.map((i) => (i.message.includes(where(i)) ? i.message : `${where(i)}：${i.message}`)).join('；'));
      return;
    }
    await app.setSettings({ ...app.settings, inspection: parsed.data });
    message.success('检查频次已保存');
    setOpen(false);
  }

  const button = (
    <Button onClick={show} disabled={!allowed} data-testid="inspect-frequency">
      检查频次设置
    </Button>
  );
  return (
    <>
      {allowed ? button : <Tooltip title={`当前账号（${app.actor.role}）无权修改设置`}>{button}</Tooltip>}
      <Modal
        open={open}
        title="检查频次设置（每年建议检查次数）"
        onCancel={() => setOpen(false)}
        onOk={() => void save()}
        okText="保存"
        cancelText="取消"
        okButtonProps={{ 'data-testid': 'inspect-frequency-save' } as Record<string, string>}
      >
        <Typography.Paragraph type="secondary">
          对守信主体减少检查频次，对失信主体加大检查力度。次数可为小数，如 0.5 即每 2 年 1 次。
        </Typography.Paragraph>
        <Form layout="vertical">
          {CLASSES.map((c) => (
            <Form.Item
              key={c}
              label={`${c}：${CLASS_REASON[c]}`}
              htmlFor={`freq-${c}`}
              extra={draft[c] ? frequencyText(draft[c]) : undefined}
            >
              <InputNumber
                id={`freq-${c}`}
                min={0.1}
                max={52}
                step={0.5}
                value={draft[c]}
                onChange={(v) => setDraft({ ...draft, [c]: v })}
                addonAfter="次 / 年"
                data-testid={`freq-${c}`}
              />
            </Form.Item>
          ))}
        </Form>
        {error && <div className="form-error">{error}</div>}
        <Button type="link" style={{ padding: 0 }} onClick={() => setDraft({ ...DEFAULT_INSPECTION_CONFIG })}>
          恢复默认（{CLASSES.map((c) => `${c} ${DEFAULT_INSPECTION_CONFIG[c]}`).join('、')}）
        </Button>
      </Modal>
    </>
  );
}
