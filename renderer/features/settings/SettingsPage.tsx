/** 设置: the workstation's district and freshness limit (管理员), each clerk's font size and own password. */
import { useState } from 'react';
import { App as AntApp, Button, Card, Form, Input, InputNumber, Slider, Typography } from 'antd';
import { sessionCan } from '../../db/session';
import { OwnSecretCard } from '../account/OwnSecretCard';
import { useApp } from '../../app/AppContext';
import { Settings } from '../../app/settings';
import { LookupStatus } from './LookupStatus';
import { SyntheticLoad } from './SyntheticLoad';

export function SettingsPage() {
  const app = useApp();
  const { message } = AntApp.useApp();
  const [draft, setDraft] = useState<Settings>(app.settings);
  const [error, setError] = useState<string | null>(null);
  const admin = sessionCan(app.actor, 'settings.change');

  async function save() {
    const parsed = Settings.safeParse(draft);
    if (!parsed.success) {
      setError(parsed.error.issues.map((i) => `${i.path.join('.')}：${i.message}`).join('；'));
      return;
    }
    setError(null);
    try {
      await app.setSettings(parsed.data);
      message.success('设置已保存');
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }

  return (
    <>
    <Card size="small" title="设置" data-testid="settings-page" style={{ maxWidth: 720 }}>
      <Form layout="vertical" onFinish={() => void save()}>
        {!admin && <Typography.Paragraph type="secondary">本机的地区和数据时效由管理员设置；字号可按个人习惯调整。</Typography.Paragraph>}
        <Form.Item label="所在地区">
          <Input disabled={!admin} value={draft.district} onChange={(e) => setDraft({ ...draft, district: e.target.value })} data-testid="settings-district" />
        </Form.Item>
        <Form.Item label="名单数据时效（小时）：超过即在核查结论和记录单上提示“请联网复核”">
          <InputNumber disabled={!admin} min={1} max={24 * 365} value={draft.mirrorMaxAgeHours} onChange={(v) => setDraft({ ...draft, mirrorMaxAgeHours: v ?? 24 })} />
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
    <OwnSecretCard />
    <LookupStatus />
    {admin && <SyntheticLoad />}
    </>
  );
}
