/** 修改我的密码 / PIN: every role, proving the old one first. */
import { useState } from 'react';
import { App as AntApp, Button, Card, Form, Input, Radio } from 'antd';
import type { SecretKind } from '../../../shared/domain/accounts';
import { useApp } from '../../app/AppContext';
import { changeOwnSecret } from '../../db/accounts';

export function OwnSecretCard() {
  const app = useApp();
  const { message } = AntApp.useApp();
  const [old, setOld] = useState('');
  const [kind, setKind] = useState<SecretKind>('password');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<string | null>(null);

  async function save() {
    if (next !== again) {
      setError('两次输入的新密码不一致');
      return;
    }
    try {
      await changeOwnSecret(app.db, app.actor, old, next, kind, app.now());
      setError(null);
      setOld('');
      setNext('');
      setAgain('');
      message.success('已修改，下次登录请使用新的密码或 PIN');
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }

  return (
    <Card size="small" title={`修改我的密码或 PIN（${app.actor.name}）`} style={{ maxWidth: 720, marginTop: 16 }}>
      <Form layout="vertical" onFinish={() => void save()}>
        <Form.Item label="原密码或 PIN" required>
          <Input.Password value={old} onChange={(e) => setOld(e.target.value)} autoComplete="current-password" />
        </Form.Item>
        <Form.Item label="新的登录方式">
          <Radio.Group value={kind} onChange={(e) => setKind(e.target.value as SecretKind)}>
            <Radio value="password">密码（至少 8 位，含字母和数字）</Radio>
            <Radio value="pin">PIN（6–12 位数字）</Radio>
          </Radio.Group>
        </Form.Item>
        <Form.Item label="新密码或 PIN" required>
          <Input.Password value={next} onChange={(e) => setNext(e.target.value)} autoComplete="new-password" />
        </Form.Item>
        <Form.Item label="再次输入" required>
          <Input.Password value={again} onChange={(e) => setAgain(e.target.value)} autoComplete="new-password" />
        </Form.Item>
        {error && <div className="form-error" role="alert">{error}</div>}
        <Button htmlType="submit">修改</Button>
      </Form>
    </Card>
  );
}
