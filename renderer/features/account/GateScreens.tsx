/**
 * Before anything else: the first-run set-up of the administrator, the sign-in, and the lock
 * screen that covers the work of a clerk who stepped away (what was on screen stays, unseen and
 * unreachable, until the same clerk signs in again).
 */
import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Card, Form, Input, Radio, Typography } from 'antd';
import type { InputRef } from 'antd';
import type { SecretKind } from '../../../shared/domain/accounts';
import { AccountError, setUpAdministrator, signIn } from '../../db/accounts';
import type { HechataiDb } from '../../db/database';
import type { Session } from '../../db/session';

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

function explain(e: unknown): string {
  if (e instanceof AccountError) return e.message;
  const issues = (e as { issues?: { path: PropertyKey[]; message: string }[] }).issues;
  if (Array.isArray(issues)) return issues.map((i) => i.message).join('；');
  return messageOf(e);
}

export function FirstRunScreen({ db, now, district, onDone }: { db: HechataiDb; now: () => number; district: string; onDone: (s: Session) => void }) {
  const [draft, setDraft] = useState({ name: '', login: 'admin', department: '', district, secretKind: 'password' as SecretKind });
  const [secret, setSecret] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit() {
    if (secret !== again) {
      setError(`两次输入的${draft.secretKind === 'pin' ? ' PIN ' : '密码'}不一致`);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onDone(await setUpAdministrator(db, draft, secret, now()));
    } catch (e) {
      setError(explain(e));
    } finally {
      setBusy(false);
    }
  }

  const kindLabel = draft.secretKind === 'pin' ? 'PIN（6–12 位数字）' : '密码（至少 8 位，含字母和数字）';
  return (
    <div className="gate" data-testid="first-run">
      <Card title="首次使用：设置本机管理员" style={{ width: 520 }}>
        <Typography.Paragraph>
          管理员负责为窗口人员和检查人员开设账号、导入名单和查看审计日志。密码只以加盐慢哈希保存在本机，忘记后须由另一名管理员重置。
        </Typography.Paragraph>
        <Form layout="vertical" onFinish={() => void submit()}>
          <Form.Item label="姓名" required htmlFor="first-run-name">
            <Input autoFocus value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} id="first-run-name" data-testid="first-run-name" />
          </Form.Item>
          <Form.Item label="登录名" required htmlFor="first-run-login">
            <Input value={draft.login} onChange={(e) => setDraft({ ...draft, login: e.target.value })} id="first-run-login" data-testid="first-run-login" autoComplete="username" />
          </Form.Item>
          <Form.Item label="所在部门" required htmlFor="first-run-department">
            <Input value={draft.department} onChange={(e) => setDraft({ ...draft, department: e.target.value })} id="first-run-department" data-testid="first-run-department" />
          </Form.Item>
          <Form.Item label="所在地区" htmlFor="first-run-district">
            <Input id="first-run-district" value={draft.district} onChange={(e) => setDraft({ ...draft, district: e.target.value })} />
          </Form.Item>
          <Form.Item label="登录方式">
            <Radio.Group value={draft.secretKind} onChange={(e) => setDraft({ ...draft, secretKind: e.target.value as SecretKind })}>
              <Radio value="password">密码</Radio>
              <Radio value="pin">PIN</Radio>
            </Radio.Group>
          </Form.Item>
          <Form.Item label={kindLabel} required htmlFor="first-run-secret">
            <Input.Password value={secret} onChange={(e) => setSecret(e.target.value)} id="first-run-secret" data-testid="first-run-secret" autoComplete="new-password" />
          </Form.Item>
          <Form.Item label="再次输入" required htmlFor="first-run-again">
            <Input.Password value={again} onChange={(e) => setAgain(e.target.value)} id="first-run-again" data-testid="first-run-again" autoComplete="new-password" />
          </Form.Item>
          {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="gate-error" />}
          <Button type="primary" htmlType="submit" loading={busy} block data-testid="first-run-submit">
            创建管理员并登录
          </Button>
        </Form>
      </Card>
    </div>
  );
}

export function SignInScreen({
  db,
  now,
  fixedLogin,
  title = '登录信用核查台',
  note,
  onDone,
  onSwitchUser,
}: {
  db: HechataiDb;
  now: () => number;
  /** The lock screen: only the clerk who was signed in may unlock. */
  fixedLogin?: string;
  title?: string;
  note?: string;
  onDone: (s: Session) => void;
  onSwitchUser?: () => void;
}) {
  const [login, setLogin] = useState(fixedLogin ?? '');
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const secretRef = useRef<InputRef>(null);
  const loginRef = useRef<InputRef>(null);

  useEffect(() => {
    (fixedLogin ? secretRef : loginRef).current?.focus();
  }, [fixedLogin]);

  async function submit() {
    setBusy(true);
    setError(null);
    try {
      onDone(await signIn(db, login, secret, now()));
    } catch (e) {
      setError(explain(e));
      setSecret('');
      secretRef.current?.focus();
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="gate" data-testid={fixedLogin ? 'lock-screen' : 'sign-in'}>
      <Card title={title} style={{ width: 420 }}>
        {note && <Typography.Paragraph>{note}</Typography.Paragraph>}
        <Form layout="vertical" onFinish={() => void submit()}>
          <Form.Item label="登录名" required htmlFor="sign-in-login">
            <Input ref={loginRef} value={login} disabled={fixedLogin !== undefined} onChange={(e) => setLogin(e.target.value)} id="sign-in-login" data-testid="sign-in-login" autoComplete="username" />
          </Form.Item>
          <Form.Item label="密码或 PIN" required htmlFor="sign-in-secret">
            <Input.Password ref={secretRef} value={secret} onChange={(e) => setSecret(e.target.value)} id="sign-in-secret" data-testid="sign-in-secret" autoComplete="current-password" />
          </Form.Item>
          {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="gate-error" />}
          <div className="gate-actions">
            <Button type="primary" htmlType="submit" loading={busy} block data-testid="sign-in-submit">
              {fixedLogin ? '解锁' : '登录'}
            </Button>
            {onSwitchUser && (
              <Button block onClick={onSwitchUser} data-testid="switch-user">
                切换账号（未保存的内容将丢弃）
              </Button>
            )}
          </div>
        </Form>
      </Card>
    </div>
  );
}
