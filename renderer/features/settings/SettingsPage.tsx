/** 设置: this workstation's clerk, district, freshness limit and font size. */
import { useState } from 'react';
import { App as AntApp, Button, Card, Form, Input, InputNumber, Slider } from 'antd';
import { useApp } from '../../app/AppContext';
import { Settings } from '../../app/settings';
import { SyntheticLoad } from './SyntheticLoad';

export function SettingsPage() {
  const app = useApp();
  const { message } = AntApp.useApp();
  const [draft, setDraft] = useState<Settings>(app.settings);
  const [error, setError] = useState<string | null>(null);

  async function save() {
    const parsed = Settings.safeParse(draft);
    if (!parsed.success) {
      setError(parsed.error.issues.map((i) => `${i.path.join('.')}：${i.message}`).join('；'));
      return;
    }
    setError(null);
    await app.setSettings(parsed.data);
    message.success('设置已保存');
  }

  return (
    <>
    <Card size="small" title="设置" data-testid="settings-page" style={{ maxWidth: 720 }}>
      <Form layout="vertical" onFinish={() => void save()}>
        <Form.Item label="经办人（记录单、反馈记录上的署名）" required>
          <Input value={draft.clerk} onChange={(e) => setDraft({ ...draft, clerk: e.target.value })} data-testid="settings-clerk" />
        </Form.Item>
        <Form.Item label="所在地区">
          <Input value={draft.district} onChange={(e) => setDraft({ ...draft, district: e.target.value })} />
        </Form.Item>
        <Form.Item label="名单数据时效（小时）：超过即在核查结论和记录单上提示“请联网复核”">
          <InputNumber min={1} max={24 * 365} value={draft.mirrorMaxAgeHours} onChange={(v) => setDraft({ ...draft, mirrorMaxAgeHours: v ?? 24 })} />
        </Form.Item>
        <Form.Item label={`字号：${draft.fontSize} 像素`}>
          <Slider min={12} max={24} value={draft.fontSize} onChange={(fontSize) => setDraft({ ...draft, fontSize })} data-testid="settings-font" />
        </Form.Item>
        {error && <div className="form-error">{error}</div>}
        <Button type="primary" htmlType="submit" data-testid="settings-save">
          保存设置
        </Button>
      </Form>
    </Card>
    <SyntheticLoad />
    </>
  );
}
