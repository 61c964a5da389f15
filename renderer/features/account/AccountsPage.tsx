/**
 * 账号与审计 (管理员): the workstation's accounts, the audit trail with its verification, and
 * the security settings (idle lock, failed sign-ins). Every action goes through the data layer
 * (renderer/db/accounts.ts, audit-log.ts), which checks the session and writes the trail.
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Form, Input, InputNumber, Modal, Radio, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { AUDIT_ACTION_LABELS, type AuditEntry } from '../../../shared/domain/audit';
import { Role, type SecretKind, type SecurityConfig } from '../../../shared/domain/accounts';
import { useApp } from '../../app/AppContext';
import { formatMoment } from '../../app/format';
import {
  changeAccount,
  createAccount,
  listAccounts,
  loadSecurity,
  resetSecret,
  saveSecurity,
  type AccountView,
  type NewAccount,
} from '../../db/accounts';
import { listAudit, verifyAuditTrail } from '../../db/audit-log';

const messageOf = (e: unknown): string => {
  const issues = (e as { issues?: { message: string }[] }).issues;
  if (Array.isArray(issues)) return issues.map((i) => i.message).join('；');
  return e instanceof Error ? e.message : String(e);
};

export function AccountsPage({ onSecurityChanged }: { onSecurityChanged: () => Promise<void> }) {
  return (
    <Card size="small" title="账号与审计" data-testid="accounts-page">
      <Tabs
        items={[
          { key: 'accounts', label: '账号', children: <AccountsTab /> },
          { key: 'audit', label: '审计日志', children: <AuditTab /> },
          { key: 'security', label: '安全设置', children: <SecurityTab onChanged={onSecurityChanged} /> },
        ]}
      />
    </Card>
  );
}

function AccountsTab() {
  const app = useApp();
  const { message } = AntApp.useApp();
  const [rows, setRows] = useState<AccountView[]>([]);
  const [creating, setCreating] = useState(false);
  const [resetting, setResetting] = useState<AccountView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [revision, setRevision] = useState(0);
  const reload = useCallback(async () => setRevision((r) => r + 1), []);

  useEffect(() => {
    let live = true;
    listAccounts(app.db, app.actor).then(
      (r) => {
        if (live) setRows(r);
      },
      (e: unknown) => {
        if (live) setError(messageOf(e));
      },
    );
    return () => {
      live = false;
    };
  }, [app.db, app.actor, revision]);

  async function act(work: () => Promise<unknown>, done: string) {
    try {
      await work();
      setError(null);
      message.success(done);
      await reload();
    } catch (e) {
      setError(messageOf(e));
    }
  }

  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Button type="primary" onClick={() => setCreating(true)} data-testid="account-new">
          新建账号
        </Button>
      </Space>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="accounts-error" />}
      <Table<AccountView>
        size="small"
        rowKey="id"
        dataSource={rows}
        pagination={false}
        data-testid="accounts-table"
        columns={[
          { title: '姓名', dataIndex: 'name' },
          { title: '登录名', dataIndex: 'login' },
          {
            title: '角色',
            dataIndex: 'role',
            render: (role: Role, a) => (
              <Select<Role>
                size="small"
                value={role}
                aria-label={`${a.name}的角色`}
                style={{ width: 120 }}
                options={Role.options.map((r) => ({ value: r, label: r }))}
                onChange={(r) => void act(() => changeAccount(app.db, app.actor, a.id, { role: r }, app.now()), `已将 ${a.name} 改为${r}`)}
              />
            ),
          },
          { title: '部门', dataIndex: 'department' },
          { title: '地区', dataIndex: 'district' },
          { title: '登录方式', dataIndex: 'secretKind', render: (k: SecretKind) => (k === 'pin' ? 'PIN' : '密码') },
          {
            title: '状态',
            render: (_: unknown, a) =>
              a.disabled ? <Tag>已停用</Tag> : (a.failures ?? 0) > 0 ? <Tag color="orange">连续失败 {a.failures} 次</Tag> : <Tag color="green">正常</Tag>,
          },
          {
            title: '操作',
            render: (_: unknown, a) => (
              <Space>
                <Button size="small" onClick={() => setResetting(a)}>
                  重置密码
                </Button>
                <Button
                  size="small"
                  danger={!a.disabled}
                  onClick={() =>
                    void act(() => changeAccount(app.db, app.actor, a.id, { disabled: !a.disabled }, app.now()), a.disabled ? `已启用 ${a.name}` : `已停用 ${a.name}`)
                  }
                >
                  {a.disabled ? '启用' : '停用'}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      {creating && (
        <NewAccountDialog
          onClose={() => setCreating(false)}
          onSave={async (input, secret) => {
            await createAccount(app.db, app.actor, input, secret, app.now());
            message.success(`已新建账号 ${input.login}`);
            setCreating(false);
            await reload();
          }}
        />
      )}
      {resetting && (
        <ResetDialog
          account={resetting}
          onClose={() => setResetting(null)}
          onSave={async (secret, kind) => {
            await resetSecret(app.db, app.actor, resetting.id, secret, kind, app.now());
            message.success(`已重置 ${resetting.name} 的登录密码`);
            setResetting(null);
            await reload();
          }}
        />
      )}
    </>
  );
}

function NewAccountDialog({ onClose, onSave }: { onClose: () => void; onSave: (a: NewAccount, secret: string) => Promise<void> }) {
  const app = useApp();
  const [draft, setDraft] = useState<NewAccount>({ name: '', login: '', role: '窗口人员', department: app.actor.department, district: app.actor.district, secretKind: 'pin' });
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<string | null>(null);
  async function ok() {
    try {
      await onSave(draft, secret);
    } catch (e) {
      setError(messageOf(e));
    }
  }
  return (
    <Modal open title="新建账号" okText="创建" cancelText="取消" onOk={() => void ok()} onCancel={onClose} okButtonProps={{ id: 'account-create' }}>
      <Form layout="vertical">
        <Form.Item label="姓名" required>
          <Input autoFocus value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} data-testid="account-name" />
        </Form.Item>
        <Form.Item label="登录名" required>
          <Input value={draft.login} onChange={(e) => setDraft({ ...draft, login: e.target.value })} data-testid="account-login" />
        </Form.Item>
        <Form.Item label="角色" required>
          <Radio.Group value={draft.role} onChange={(e) => setDraft({ ...draft, role: e.target.value as Role })} data-testid="account-role">
            {Role.options.map((r) => (
              <Radio key={r} value={r}>
                {r}
              </Radio>
            ))}
          </Radio.Group>
        </Form.Item>
        <Form.Item label="部门" required>
          <Input value={draft.department} onChange={(e) => setDraft({ ...draft, department: e.target.value })} data-testid="account-department" />
        </Form.Item>
        <Form.Item label="地区（检查人员的辖区）">
          <Input value={draft.district} onChange={(e) => setDraft({ ...draft, district: e.target.value })} data-testid="account-district" />
        </Form.Item>
        <Form.Item label="登录方式">
          <Radio.Group value={draft.secretKind} onChange={(e) => setDraft({ ...draft, secretKind: e.target.value as SecretKind })}>
            <Radio value="pin">PIN（6–12 位数字）</Radio>
            <Radio value="password">密码（至少 8 位，含字母和数字）</Radio>
          </Radio.Group>
        </Form.Item>
        <Form.Item label="初始密码或 PIN（请当面告知本人，登录后可在“设置”中修改）" required>
          <Input.Password value={secret} onChange={(e) => setSecret(e.target.value)} data-testid="account-secret" autoComplete="new-password" />
        </Form.Item>
        {error && <Alert type="error" showIcon title={error} data-testid="account-error" />}
      </Form>
    </Modal>
  );
}

function ResetDialog({ account, onClose, onSave }: { account: AccountView; onClose: () => void; onSave: (secret: string, kind: SecretKind) => Promise<void> }) {
  const [kind, setKind] = useState<SecretKind>(account.secretKind);
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <Modal
      open
      title={`重置 ${account.name}（${account.login}）的密码`}
      okText="重置"
      cancelText="取消"
      onCancel={onClose}
      onOk={() => void onSave(secret, kind).catch((e: unknown) => setError(messageOf(e)))}
    >
      <Form layout="vertical">
        <Form.Item label="登录方式">
          <Radio.Group value={kind} onChange={(e) => setKind(e.target.value as SecretKind)}>
            <Radio value="pin">PIN</Radio>
            <Radio value="password">密码</Radio>
          </Radio.Group>
        </Form.Item>
        <Form.Item label="新密码或 PIN" required>
          <Input.Password autoFocus value={secret} onChange={(e) => setSecret(e.target.value)} autoComplete="new-password" />
        </Form.Item>
        {error && <Alert type="error" showIcon title={error} />}
      </Form>
    </Modal>
  );
}

const PAGE_SIZE = 50;

/** The audit detail keys and values in words (the stored keys are the platform's). */
const DETAIL_KEY: Record<string, string> = {
  method: '方式', reason: '原因', failures: '连续失败次数', idle: '无操作自动锁定', minutes: '时限（分钟）', account: '账号编号',
  login: '登录名', role: '角色', firstRun: '首次设置', what: '内容', rows: '行数', unmasked: '含未脱敏号码', screen: '界面',
  record: '记录', subjectType: '主体类型', fields: '修改项', own: '本人修改', section: '设置项', idleLockMinutes: '自动锁定（分钟）',
  kind: '类别', file: '文件', applied: '写入', ignored: '忽略', rebuilt: '重建名单',
};
const DETAIL_VALUE: Record<string, string> = {
  password: '密码', pin: 'PIN', 'wrong-secret': '密码错误', 'unknown-login': '登录名不存在', throttled: '暂停登录期间', disabled: '账号已停用',
  true: '是', false: '否', security: '安全设置',
};

function detailText(d: AuditEntry['detail']): string {
  return Object.entries(d)
    .map(([k, v]) => `${DETAIL_KEY[k] ?? k}：${DETAIL_VALUE[String(v)] ?? String(v)}`)
    .join('；');
}

function AuditTab() {
  const app = useApp();
  const [page, setPage] = useState(1);
  const [data, setData] = useState<{ entries: AuditEntry[]; total: number }>({ entries: [], total: 0 });
  const [verdict, setVerdict] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void listAudit(app.db, app.actor, (page - 1) * PAGE_SIZE, PAGE_SIZE).then(setData);
  }, [app.db, app.actor, page]);

  async function verify() {
    setBusy(true);
    try {
      const v = await verifyAuditTrail(app.db, app.actor);
      const anchored = v.anchor ? `，与平台已确认的第 ${v.anchor.seq} 条一致` : '（尚无平台确认的记录）';
      setVerdict(v.ok ? { ok: true, text: `审计日志完整：共 ${v.count} 条，哈希链无断裂${anchored}` } : { ok: false, text: `审计日志校验未通过：${v.problem}` });
    } catch (e) {
      setVerdict({ ok: false, text: messageOf(e) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <Space style={{ marginBottom: 12 }} wrap>
        <Button onClick={() => void verify()} loading={busy} data-testid="audit-verify">
          校验审计日志
        </Button>
        <Typography.Text type="secondary">每条记录含前一条的哈希，改动、删除或插入任何一条都会被发现；记录随同步上报平台。</Typography.Text>
      </Space>
      {verdict && <Alert type={verdict.ok ? 'success' : 'error'} showIcon title={verdict.text} style={{ marginBottom: 12 }} data-testid="audit-verdict" />}
      <Table<AuditEntry>
        size="small"
        rowKey="seq"
        dataSource={data.entries}
        data-testid="audit-table"
        pagination={{ current: page, pageSize: PAGE_SIZE, total: data.total, onChange: setPage, showSizeChanger: false }}
        columns={[
          { title: '序号', dataIndex: 'seq', width: 70 },
          { title: '时间', dataIndex: 'at', width: 170, render: (at: number) => formatMoment(at) },
          { title: '账号', dataIndex: 'actor', width: 110 },
          { title: '角色', dataIndex: 'role', width: 110, render: (r: Role | null) => r ?? '（未知账号）' },
          { title: '操作', dataIndex: 'action', width: 130, render: (a: AuditEntry['action']) => AUDIT_ACTION_LABELS[a] },
          {
            title: '详情',
            dataIndex: 'detail',
            render: (d: AuditEntry['detail']) => (
              <Typography.Text style={{ fontSize: '0.9em' }}>{detailText(d)}</Typography.Text>
            ),
          },
          { title: '哈希', dataIndex: 'hash', width: 110, render: (h: string) => <Typography.Text code>{h.slice(0, 8)}…</Typography.Text> },
        ]}
      />
    </>
  );
}

function SecurityTab({ onChanged }: { onChanged: () => Promise<void> }) {
  const app = useApp();
  const { message } = AntApp.useApp();
  const [draft, setDraft] = useState<SecurityConfig | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void loadSecurity(app.db).then(setDraft);
  }, [app.db]);
  if (!draft) return null;
  async function save() {
    if (!draft) return;
    try {
      await saveSecurity(app.db, app.actor, draft, app.now());
      await onChanged();
      setError(null);
      message.success('安全设置已保存');
    } catch (e) {
      setError(messageOf(e));
    }
  }
  return (
    <Form layout="vertical" style={{ maxWidth: 560 }} onFinish={() => void save()}>
      <Form.Item label="无操作自动锁定（分钟）">
        <InputNumber min={1} max={240} value={draft.idleLockMinutes} onChange={(v) => setDraft({ ...draft, idleLockMinutes: v ?? 10 })} data-testid="security-idle" />
      </Form.Item>
      <Form.Item label="连续登录失败几次后暂停登录">
        <InputNumber min={1} max={100} value={draft.maxFailures} onChange={(v) => setDraft({ ...draft, maxFailures: v ?? 5 })} />
      </Form.Item>
      <Form.Item label="首次暂停时长（分钟，此后每次失败加倍）">
        <InputNumber min={1} max={1440} value={draft.lockoutMinutes} onChange={(v) => setDraft({ ...draft, lockoutMinutes: v ?? 5 })} />
      </Form.Item>
      {error && <div className="form-error" role="alert">{error}</div>}
      <Button type="primary" htmlType="submit" data-testid="security-save">
        保存安全设置
      </Button>
    </Form>
  );
}
