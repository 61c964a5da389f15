/**
 * 平台同步: enrolment with the city platform, the sync status (online or not, when the mirror
 * was last complete, records waiting, the last error in plain words), 立即同步, the first load's
 * progress with an estimate, the records the platform sent back (重新提交 / 撤回), and file
 * exchange for sites that are never online.
 */
import { useCallback, useEffect, useState } from 'react';
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Progress,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { formatDuration, type LoadProgress, type SyncStatus } from '../../../shared/sync/engine-core';
import type { OutboxEntry } from '../../../shared/sync/outbox';
import { formatMoment } from '../../app/format';
import { getClientApi } from '../../bridge';
import { useApp } from '../../app/AppContext';
import { recordAudit } from '../../db/audit-log';
import type { SyncHandle } from '../../sync/store';
import { useSyncStatus } from './useSyncStatus';

const PACKAGE_FILTER = [{ name: '信用核查台数据包', extensions: ['json'] }];

const KIND_LABEL: Record<OutboxEntry['payload']['kind'], string> = {
  check: '核查记录',
  feedback: '反馈记录',
  commitment: '容缺承诺',
  objection: '异议申请',
  finding: '检查结果',
  audit: '审计日志',
};

const SECRET_REASON: Record<string, string> = {
  basic_text: '本机系统没有可用的密钥环',
  encryption_unavailable: '系统加密服务不可用',
  web_variant: '浏览器版不保存凭据',
};

function subjectOf(e: OutboxEntry): string {
  const p = e.payload;
  switch (p.kind) {
    case 'objection':
      return `${p.record.raisedBy}（名单记录 ${p.record.recordId}）`;
    case 'check':
    case 'feedback':
    case 'commitment':
    case 'finding':
      return `${p.record.subjectName}（${p.record.identifier}）`;
    case 'audit':
      return `第 ${p.record.entry.seq} 条（${p.record.entry.actor}）`;
  }
}

const moment = (ms: number | null | undefined, none = '—'): string => (ms === null || ms === undefined ? none : formatMoment(ms));

export function SyncPage({ sync }: { sync: SyncHandle }) {
  const s = useSyncStatus(sync);
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%', maxWidth: 1100 }} data-testid="sync-page">
      <EnrolmentCard sync={sync} s={s} />
      <StatusCard sync={sync} s={s} />
      <RejectedCard sync={sync} s={s} />
      <ExchangeCard sync={sync} s={s} />
    </Space>
  );
}

// ---------------------------------------------------------------- enrolment

function EnrolmentCard({ sync, s }: { sync: SyncHandle; s: SyncStatus }) {
  const { message } = AntApp.useApp();
  const [editing, setEditing] = useState(false);
  /** null: not edited, the enrolment's value is shown (a re-enrolment keeps address and name). */
  const [draft, setDraft] = useState<{ baseUrl: string | null; code: string; deviceName: string | null }>({ baseUrl: null, code: '', deviceName: null });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const e = s.enrolment;
  const showForm = editing || !e || s.tokenMissing;

  async function submit() {
    setBusy(true);
    setError(null);
    const result = await sync.enrol({
      baseUrl: draft.baseUrl ?? e?.baseUrl ?? '',
      code: draft.code,
      deviceName: draft.deviceName ?? e?.deviceName ?? '',
    });
    setBusy(false);
    if (!result.ok) {
      setError(result.message);
      return;
    }
    setEditing(false);
    setDraft({ baseUrl: null, code: '', deviceName: null });
    message.success(`登记成功：设备编号 ${result.value.deviceId}`);
  }

  return (
    <Card size="small" title="平台连接" data-testid="sync-enrolment">
      {e && !showForm && (
        <Descriptions
          size="small"
          column={2}
          items={[
            { key: 'url', label: '平台地址', children: e.baseUrl },
            { key: 'device', label: '设备编号', children: <span data-testid="sync-device-id">{e.deviceId}</span> },
            { key: 'name', label: '本机名称', children: e.deviceName },
            { key: 'dept', label: '所属部门', children: `${e.department}${e.district ? ` · ${e.district}` : ''}` },
            { key: 'at', label: '登记时间', children: formatMoment(e.enrolledAt) },
            {
              key: 'secret',
              label: '登记凭据',
              children:
                s.secret.mode === 'encrypted' ? (
                  <Tag color="green">已由系统加密保存</Tag>
                ) : s.secret.mode === 'session-only' ? (
                  <Tag color="orange">仅本次运行有效</Tag>
                ) : (
                  <Tag>未知</Tag>
                ),
            },
          ]}
        />
      )}
      {e && !showForm && s.secret.mode === 'session-only' && (
        <Alert
          type="warning"
          showIcon
          style={{ marginTop: 8 }}
          data-testid="sync-session-only"
          title="登记凭据只保存在本次运行中：关闭程序后需要重新登记"
          description={`${SECRET_REASON[s.secret.reason] ?? s.secret.reason}，本机无法安全地保存平台凭据。重新登记需要平台管理员提供新的登记码。`}
        />
      )}
      {s.tokenMissing && e && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="sync-token-missing"
          title="需要重新登记"
          description="本机的平台登记凭据已失效（程序重启后未保存，或平台已注销本机）。请向平台管理员申请新的登记码重新登记；本机的名单和记录都会保留。"
        />
      )}
      {showForm ? (
        <Form layout="vertical" onFinish={() => void submit()} style={{ maxWidth: 560 }}>
          <Form.Item label="平台地址" required extra="由市信用平台管理员提供，例如 http://10.20.30.40:7311">
            <Input
              value={draft.baseUrl ?? e?.baseUrl ?? ''}
              onChange={(ev) => setDraft({ ...draft, baseUrl: ev.target.value })}
              placeholder="http://"
              data-testid="sync-url"
            />
          </Form.Item>
          <Form.Item label="登记码" required extra="8 位，一次有效；大小写和横线不影响">
            <Input value={draft.code} onChange={(ev) => setDraft({ ...draft, code: ev.target.value })} placeholder="XXXX-XXXX" data-testid="sync-code" />
          </Form.Item>
          <Form.Item label="本机名称" required extra="平台据此识别本机，例如“兰山区政务服务中心 3号窗口”">
            <Input
              value={draft.deviceName ?? e?.deviceName ?? ''}
              onChange={(ev) => setDraft({ ...draft, deviceName: ev.target.value })}
              data-testid="sync-device-name"
            />
          </Form.Item>
          {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="sync-enrol-error" />}
          <Space>
            <Button type="primary" htmlType="submit" loading={busy} data-testid="sync-enrol">
              登记
            </Button>
            {editing && <Button onClick={() => setEditing(false)}>取消</Button>}
          </Space>
        </Form>
      ) : (
        <Space style={{ marginTop: 12 }}>
          <Button onClick={() => setEditing(true)} data-testid="sync-reenrol">
            重新登记
          </Button>
          <Popconfirm
            title="解除本机与平台的登记？"
            description="本机的名单和记录都会保留，但不再同步，直到重新登记。"
            okText="解除登记"
            cancelText="取消"
            onConfirm={() => void sync.forgetEnrolment()}
          >
            <Button danger>解除登记</Button>
          </Popconfirm>
        </Space>
      )}
    </Card>
  );
}

// ---------------------------------------------------------------- status

const CONNECTIVITY = {
  online: { color: 'green', text: '在线' },
  offline: { color: 'red', text: '离线' },
  unknown: { color: 'default', text: '未连接' },
} as const;

const PHASE_LABEL: Record<SyncStatus['phase'], string> = {
  idle: '空闲',
  probing: '正在检查平台连接…',
  pushing: '正在上报记录…',
  pulling: '正在获取名单变更…',
  loading: '正在下载名单…',
  building: '正在建立本地名单…',
  importing: '正在导入数据包…',
};

function LoadBar({ load }: { load: LoadProgress }) {
  const percent = load.total ? Math.min(100, Math.floor((load.done / load.total) * 100)) : 0;
  const rate = load.ratePerSec === null ? '' : `约 ${Math.round(load.ratePerSec).toLocaleString('zh-CN')} 条/秒`;
  const left = load.remainingMs === null ? '正在估算剩余时间' : `预计还需 ${formatDuration(load.remainingMs)}`;
  const title =
    load.reason === 'reset'
      ? `平台要求重新下载全部名单${load.message ? `：${load.message}` : ''}（下载期间继续使用原有名单核查）`
      : '首次下载名单：完成前核查结论会提示名单不完整';
  const text =
    load.stage === 'download'
      ? `已下载 ${load.records.toLocaleString('zh-CN')} 条名单记录${rate ? `，${rate}` : ''}；${left}`
      : `正在建立本地名单：${load.done.toLocaleString('zh-CN')} / ${(load.total ?? 0).toLocaleString('zh-CN')} 条${rate ? `，${rate}` : ''}；${left}`;
  return (
    <div data-testid="sync-load">
      <Typography.Text strong>{title}</Typography.Text>
      <Progress percent={percent} status="active" />
      <Typography.Text type="secondary" data-testid="sync-load-text">
        {text}
      </Typography.Text>
    </div>
  );
}

function StatusCard({ sync, s }: { sync: SyncHandle; s: SyncStatus }) {
  const { message } = AntApp.useApp();
  const [running, setRunning] = useState(false);
  const [minutes, setMinutes] = useState<number | null>(null);
  const conn = CONNECTIVITY[s.connectivity];
  const enrolled = s.enrolment !== null && !s.tokenMissing;

  async function syncNow() {
    setRunning(true);
    const outcome = await sync.syncNow();
    setRunning(false);
    if (outcome.ok) message.success('同步完成');
  }

  async function saveSchedule(autoSync: boolean, intervalMinutes: number) {
    const r = await sync.setSchedule({ autoSync, intervalMs: Math.round(intervalMinutes * 60_000) });
    if (!r.ok) message.error(r.message);
    else setMinutes(null);
  }

  const intervalMinutes = minutes ?? Math.round(s.intervalMs / 60_000);
  return (
    <Card
      size="small"
      title="同步状态"
      data-testid="sync-status"
      extra={
        <Button type="primary" onClick={() => void syncNow()} loading={running || s.phase !== 'idle'} disabled={!enrolled} data-testid="sync-now">
          立即同步
        </Button>
      }
    >
      <Descriptions
        size="small"
        column={2}
        items={[
          {
            key: 'conn',
            label: '平台连接',
            children: (
              <Tag color={conn.color} data-testid="sync-connectivity">
                {conn.text}
              </Tag>
            ),
          },
          { key: 'phase', label: '当前', children: PHASE_LABEL[s.phase] },
          {
            key: 'complete',
            label: '名单最近完整',
            children: <span data-testid="sync-complete-at">{moment(s.mirrorCompleteAt, '尚未从平台完整下载')}</span>,
          },
          { key: 'source', label: '名单来源', children: s.mirrorSource === 'file' ? '数据包导入' : s.mirrorSource === 'platform' ? '市信用平台' : s.mirrorSource === 'sample' ? '示例数据' : '无' },
          { key: 'pending', label: '待上报', children: <span data-testid="sync-pending">{s.pending} 条</span> },
          { key: 'rejected', label: '被退回', children: <span data-testid="sync-rejected">{s.rejected} 条</span> },
          { key: 'ok', label: '上次同步成功', children: moment(s.lastSuccessAt) },
          { key: 'next', label: '下次自动同步', children: s.autoSync ? moment(s.nextAttemptAt, '未安排') : '已关闭' },
        ]}
      />
      {s.lastPush && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          最近一次上报（{formatMoment(s.lastPush.at)}）：接收 {s.lastPush.accepted} 条，平台已有 {s.lastPush.duplicate} 条，退回 {s.lastPush.rejected} 条
        </Typography.Paragraph>
      )}
      {s.load && <LoadBar load={s.load} />}
      {s.lastError && (
        <Alert
          type={s.connectivity === 'offline' ? 'warning' : 'error'}
          showIcon
          style={{ marginTop: 12 }}
          data-testid="sync-error"
          title={s.lastError.message}
          description={`发生于 ${formatMoment(s.lastError.at)}${s.failures > 1 ? `，已连续 ${s.failures} 次` : ''}${s.nextAttemptAt !== null ? `；将于 ${formatMoment(s.nextAttemptAt)} 自动重试` : ''}`}
        />
      )}
      <Space style={{ marginTop: 12 }} wrap>
        <span>自动同步</span>
        <Switch checked={s.autoSync} onChange={(on) => void saveSchedule(on, intervalMinutes)} data-testid="sync-auto" />
        <span>间隔</span>
        <InputNumber min={1} max={7 * 24 * 60} value={intervalMinutes} onChange={(v) => setMinutes(v ?? 5)} suffix="分钟" />
        <Button disabled={minutes === null} onClick={() => void saveSchedule(s.autoSync, intervalMinutes)}>
          保存间隔
        </Button>
      </Space>
    </Card>
  );
}

// ---------------------------------------------------------------- rejected records

function RejectedCard({ sync, s }: { sync: SyncHandle; s: SyncStatus }) {
  const { message } = AntApp.useApp();
  const [rows, setRows] = useState<OutboxEntry[]>([]);
  const [selected, setSelected] = useState<string[]>([]);

  const show = useCallback((list: OutboxEntry[]) => {
    setRows(list);
    setSelected((sel) => sel.filter((id) => list.some((r) => r.id === id)));
  }, []);
  const reload = useCallback(async () => show(await sync.listRejected()), [sync, show]);

  // Re-read whenever the count changes (a push answered, the clerk acted).
  useEffect(() => {
    let live = true;
    void sync.listRejected().then((list) => {
      if (live) show(list);
    });
    return () => {
      live = false;
    };
  }, [sync, show, s.rejected, s.lastPush]);

  async function act(kind: 'resubmit' | 'withdraw', ids: string[]) {
    const n = kind === 'resubmit' ? await sync.resubmit(ids) : await sync.withdraw(ids);
    message.success(kind === 'resubmit' ? `${n} 条记录将随下次同步重新提交` : `已撤回 ${n} 条记录（本机记录保留，不再上报）`);
    await reload();
  }

  if (rows.length === 0) return null;
  return (
    <Card
      size="small"
      title={`被平台退回的记录（${rows.length} 条）`}
      data-testid="sync-rejected-list"
      extra={
        <Space>
          <Button disabled={selected.length === 0} onClick={() => void act('resubmit', selected)}>
            重新提交所选
          </Button>
          <Popconfirm title={`撤回所选 ${selected.length} 条记录？`} description="撤回后不再上报平台，本机记录保留。" onConfirm={() => void act('withdraw', selected)}>
            <Button danger disabled={selected.length === 0}>
              撤回所选
            </Button>
          </Popconfirm>
        </Space>
      }
    >
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 12 }}
        title="请按退回原因处理：如事项或措施清单过旧，先“立即同步”更新清单再重新提交；确属录入错误的记录可撤回。"
      />
      <Table<OutboxEntry>
        size="small"
        rowKey="id"
        dataSource={rows}
        pagination={rows.length > 20 ? { pageSize: 20 } : false}
        rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys.map(String)) }}
        columns={[
          { title: '类型', key: 'kind', width: 100, render: (_, e) => KIND_LABEL[e.payload.kind] },
          { title: '主体', key: 'subject', render: (_, e) => subjectOf(e) },
          { title: '退回原因', key: 'reason', render: (_, e) => <Typography.Text type="danger">{e.lastError ?? '平台未说明原因'}</Typography.Text> },
          { title: '退回时间', key: 'at', width: 150, render: (_, e) => moment(e.settledAt) },
          {
            title: '操作',
            key: 'actions',
            width: 170,
            render: (_, e) => (
              <Space>
                <Button size="small" onClick={() => void act('resubmit', [e.id])} data-testid="sync-resubmit">
                  重新提交
                </Button>
                <Popconfirm title="撤回这条记录？" description="撤回后不再上报平台，本机记录保留。" onConfirm={() => void act('withdraw', [e.id])}>
                  <Button size="small" danger data-testid="sync-withdraw">
                    撤回
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}

// ---------------------------------------------------------------- file exchange

function ExchangeCard({ sync, s }: { sync: SyncHandle; s: SyncStatus }) {
  const { message } = AntApp.useApp();
  const app = useApp();
  const [busy, setBusy] = useState<'export' | 'import' | null>(null);
  const [result, setResult] = useState<{ type: 'success' | 'error'; text: string } | null>(null);
  const enrolled = s.enrolment !== null;

  async function exportOutbox() {
    setBusy('export');
    setResult(null);
    try {
      const r = await sync.exportOutbox();
      if (!r.ok) {
        setResult({ type: 'error', text: r.message });
        return;
      }
      const saved = await getClientApi().saveFile({ suggestedName: r.value.fileName, bytes: r.value.bytes, filters: PACKAGE_FILTER });
      if (saved.status === 'saved' || saved.status === 'delegated') {
        // The package carries full identifiers (the platform needs them): on the audit trail.
        await recordAudit(app.db, { at: app.now(), actor: app.actor.login, role: app.actor.role, action: 'export', detail: { what: '上报数据包', rows: r.value.count } });
        setResult({ type: 'success', text: `已导出 ${r.value.count} 条待上报记录${saved.status === 'saved' ? `到 ${saved.fileName}` : ''}。请交平台导入；平台确认前这些记录仍显示为待上报。` });
      } else if (saved.status === 'failed') setResult({ type: 'error', text: saved.message });
    } finally {
      setBusy(null);
    }
  }

  async function importPackage() {
    setBusy('import');
    setResult(null);
    try {
      const file = await getClientApi().openFile({ title: '选择平台下发的名单数据包', filters: PACKAGE_FILTER });
      if (file.status === 'cancelled') return;
      if (file.status !== 'opened') {
        setResult({ type: 'error', text: file.message });
        return;
      }
      const r = await sync.importPackage(file.bytes);
      if (!r.ok) {
        setResult({ type: 'error', text: r.message });
        return;
      }
      const v = r.value;
      await recordAudit(app.db, { at: app.now(), actor: app.actor.login, role: app.actor.role, action: 'import', detail: { what: '平台名单数据包', applied: v.applied, rebuilt: v.rebuilt } });
      const receipts = v.receipts.accepted + v.receipts.duplicate;
      const text =
        v.applied === 0 && !v.rebuilt
          ? '数据包中没有本机尚未有的数据（已导入过）。'
          : `已导入 ${v.applied.toLocaleString('zh-CN')} 条变更${v.rebuilt ? '，本机名单已按数据包重建' : ''}。`;
      setResult({
        type: 'success',
        text: `${text}${receipts > 0 ? `平台确认已接收 ${receipts} 条上报记录。` : ''}${v.receipts.rejected > 0 ? `平台退回 ${v.receipts.rejected} 条，见上方列表。` : ''}`,
      });
      message.success('数据包已导入');
    } finally {
      setBusy(null);
    }
  }

  return (
    <Card size="small" title="文件交换（无网络的站点）" data-testid="sync-exchange">
      <Typography.Paragraph type="secondary">
        不能联网的站点用移动存储交换数据：导出本机待上报的记录交平台导入；把平台为本机生成的名单数据包导入本机。数据包带校验值，损坏或不属于本机的数据包会被拒绝。
      </Typography.Paragraph>
      <Space>
        <Button onClick={() => void exportOutbox()} loading={busy === 'export'} disabled={!enrolled || s.pending === 0} data-testid="sync-export">
          导出待上报记录（{s.pending} 条）
        </Button>
        <Button onClick={() => void importPackage()} loading={busy === 'import'} disabled={!enrolled} data-testid="sync-import">
          导入平台数据包
        </Button>
      </Space>
      {result && <Alert type={result.type} showIcon title={result.text} style={{ marginTop: 12 }} data-testid="sync-exchange-result" />}
    </Card>
  );
}
