/**
 * 容缺受理承诺台账: every open commitment with its deadline; supplied ones are closed here,
 * overdue ones become breaches (违背承诺) reported to the platform.
 */
import { useEffect, useMemo, useState } from 'react';
import { App as AntApp, Button, Card, InputNumber, Segmented, Space, Table, Tag, Typography } from 'antd';
import type { Commitment } from '../../../shared/domain/schemas';
import { commitmentState, type CommitmentState } from '../../../shared/domain/commitments';
import { chinaDate } from '../../../shared/domain/rules-config';
import { useApp } from '../../app/AppContext';
import { breachOverdue, listCommitments, markSupplied } from '../../db/commitments';

const STATE_TAG: Record<CommitmentState, { label: string; color: string }> = {
  open: { label: '待补齐', color: 'blue' },
  due_soon: { label: '即将到期', color: 'orange' },
  overdue: { label: '已逾期', color: 'red' },
  supplied: { label: '已补齐', color: 'green' },
  breached: { label: '违背承诺', color: 'red' },
};

type Filter = 'due' | 'breached' | 'supplied' | 'all';

export function CommitmentsPage() {
  const app = useApp();
  const { message } = AntApp.useApp();
  const [rows, setRows] = useState<Commitment[]>([]);
  const [filter, setFilter] = useState<Filter>('due');
  const [dueDays, setDueDays] = useState(3);
  const matterName = useMemo(() => new Map(app.matters.map((m) => [m.id, m.name])), [app.matters]);
  const today = chinaDate(app.now());
  const { db, now, refreshMirror } = app;

  const [version, setVersion] = useState(0);
  useEffect(() => {
    let live = true;
    void (async () => {
      // An overdue open commitment is a breach: record it before showing the board.
      const breached = await breachOverdue(db, chinaDate(now()), now());
      if (breached > 0) {
        message.warning(`${breached} 项承诺已逾期未补齐，已登记为违背承诺并加入待上报队列`);
        await refreshMirror();
      }
      const list = await listCommitments(db);
      if (live) setRows(list);
    })();
    return () => {
      live = false;
    };
  }, [db, now, refreshMirror, message, version]);

  const shown = rows.filter((c) => {
    const s = commitmentState(c, today, dueDays);
    if (filter === 'due') return s === 'open' || s === 'due_soon' || s === 'overdue';
    if (filter === 'breached') return s === 'breached';
    if (filter === 'supplied') return s === 'supplied';
    return true;
  });

  async function supplied(id: string) {
    try {
      await markSupplied(db, id, now());
      message.success('已登记补齐材料，承诺履行完毕');
      await refreshMirror();
      setVersion((v) => v + 1);
    } catch (e) {
      message.error(e instanceof Error ? e.message : String(e));
    }
  }

  return (
    <Card size="small" title="容缺受理承诺台账" data-testid="commitments-page">
      <Space style={{ marginBottom: 12 }} wrap>
        <Segmented<Filter>
          value={filter}
          onChange={setFilter}
          options={[
            { value: 'due', label: '待补齐' },
            { value: 'breached', label: '违背承诺' },
            { value: 'supplied', label: '已补齐' },
            { value: 'all', label: '全部' },
          ]}
          data-testid="commitment-filter"
        />
        <span>
          提前 <InputNumber min={1} max={30} value={dueDays} onChange={(v) => setDueDays(v ?? 3)} style={{ width: 64 }} /> 天提醒
        </span>
      </Space>
      <Table<Commitment>
        size="small"
        rowKey="id"
        dataSource={shown}
        pagination={{ pageSize: 20 }}
        locale={{ emptyText: '暂无记录' }}
        columns={[
          { title: '主体', render: (_, c) => c.subjectName || '—' },
          { title: '代码', dataIndex: 'identifier', render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
          { title: '事项', render: (_, c) => matterName.get(c.matterId) ?? c.matterId },
          { title: '暂缺材料', render: (_, c) => c.missingMaterials.join('、') },
          { title: '补齐期限', dataIndex: 'deadline' },
          {
            title: '状态',
            render: (_, c) => {
              const t = STATE_TAG[commitmentState(c, today, dueDays)];
              return <Tag color={t.color} data-testid="commitment-state">{t.label}</Tag>;
            },
          },
          {
            title: '操作',
            render: (_, c) =>
              c.status === 'open' ? (
                <Button size="small" onClick={() => void supplied(c.id)} data-testid="mark-supplied">
                  登记已补齐
                </Button>
              ) : null,
          },
        ]}
      />
    </Card>
  );
}
