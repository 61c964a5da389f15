/** 核查记录: every check made here, searchable; reprint the 核查记录单; export to xlsx. */
import { useEffect, useMemo, useState } from 'react';
import { App as AntApp, Button, Card, DatePicker, Input, Select, Space, Table, Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import type { CheckRecord, Headline } from '../../../shared/domain/schemas';
import { shieldIdentifier } from '../../../shared/domain/identifiers';
import { useApp } from '../../app/AppContext';
import { formatMoment } from '../../app/format';
import { feedbackForChecks, searchChecks, type HistoryQuery } from '../../db/history';
import { getCheckWithPrintable } from '../../db/local-records';
import { saveWorkbook } from '../../export/xlsx';
import { exportWorkbook, idCell, type ExportCell } from '../../db/disclosure';
import { UnmaskedExportSwitch } from '../account/UnmaskedExportSwitch';
import { HEADLINE } from '../check/labels';
import { PrintableCheck } from '../check/printable';
import { PrintRecord } from '../check/PrintRecord';
import { PrintDialog } from '../print/PrintDialog';

const HEADLINE_COLOR: Record<Headline, string> = { black: 'black', watch: 'orange', red: 'red', clear: 'default' };

/** Columns of the export; identifiers of persons are masked (004 §3). */
const EXPORT_HEADER = ['核查时间', '记录编号', '审批事项', '主体名称', '主体类型', '证件号码', '核查结论', '命中记录数', '执行措施数', '不执行措施数', '容缺受理', '绿色通道', '数据已过期', '经办人', '部门'] as const;


export function HistoryPage() {
  const app = useApp();
  const { message } = AntApp.useApp();
  const [q, setQ] = useState<HistoryQuery>({});
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [rows, setRows] = useState<CheckRecord[]>([]);
  const [reprint, setReprint] = useState<PrintableCheck | null>(null);
  const [unmasked, setUnmasked] = useState(false);
  const matterName = useMemo(() => new Map(app.matters.map((m) => [m.id, m.name])), [app.matters]);
  const { db } = app;

  useEffect(() => {
    let live = true;
    const from = range?.[0]?.startOf('day').valueOf();
    const to = range?.[1]?.endOf('day').valueOf();
    void searchChecks(db, { ...q, from, to }).then((r) => {
      if (live) setRows(r);
    });
    return () => {
      live = false;
    };
  }, [db, q, range]);

  const clerks = useMemo(() => [...new Set(rows.map((r) => r.clerk))].map((c) => ({ value: c, label: c })), [rows]);

  async function onReprint(id: string) {
    const found = await getCheckWithPrintable(db, id);
    const parsed = PrintableCheck.safeParse(found?.printable);
    if (!parsed.success) {
      message.error('该记录没有保存打印快照，无法重印');
      return;
    }
    setReprint(parsed.data);
  }

  async function onExport() {
    const data: ExportCell[][] = rows.map((c) => [
      formatMoment(c.createdAt),
      c.id,
      matterName.get(c.matterId) ?? c.matterId,
      c.subjectName ?? '',
      c.subjectType,
      idCell(c.subjectType, c.identifier),
      HEADLINE[c.headline].title,
      c.hits.length,
      c.decisions.filter((d) => d.decision === '执行').length,
      c.decisions.filter((d) => d.decision === '不执行').length,
      c.fastTrack ? '是' : '否',
      c.greenChannel ? '是' : '否',
      c.stale ? '是' : '否',
      c.clerk,
      c.department,
    ]);
    const bytes = await exportWorkbook(db, app.actor, { what: '核查记录', sheet: '核查记录', header: EXPORT_HEADER, rows: data, unmasked }, app.now()).catch((e: unknown) => {
      message.error(e instanceof Error ? e.message : String(e));
      return null;
    });
    if (!bytes) return;
    const r = await saveWorkbook(`核查记录-${formatMoment(app.now()).slice(0, 10)}.xlsx`, bytes);
    if (r.status === 'saved') message.success(`已导出 ${rows.length} 条到 ${r.fileName}`);
    else if (r.status === 'delegated') message.success(`已导出 ${rows.length} 条`);
    else if (r.status === 'failed') message.error(`导出失败：${r.message}`);
  }

  async function onExportFeedback() {
    const fb = await feedbackForChecks(db, rows.map((c) => c.id));
    const byCheck = new Map(rows.map((c) => [c.id, c]));
    const data: ExportCell[][] = fb.map((f) => {
      const c = byCheck.get(f.checkId);
      return [
        formatMoment(f.at),
        f.id,
        matterName.get(f.matterId) ?? f.matterId,
        f.subjectName,
        idCell(c?.subjectType ?? '自然人', f.identifier),
        f.measureId,
        f.type,
        f.reason ?? '',
        f.result,
        f.basis,
        f.department,
        f.district,
        f.clerk,
      ];
    });
    const header = ['时间', '反馈编号', '审批事项', '主体名称', '证件号码', '措施编号', '反馈类型', '不执行理由', '实施结果', '依据', '部门', '地区', '经办人'];
    const bytes = await exportWorkbook(db, app.actor, { what: '执行反馈', sheet: '执行反馈', header, rows: data, unmasked }, app.now()).catch((e: unknown) => {
      message.error(e instanceof Error ? e.message : String(e));
      return null;
    });
    if (!bytes) return;
    const r = await saveWorkbook(`执行反馈-${formatMoment(app.now()).slice(0, 10)}.xlsx`, bytes);
    if (r.status === 'saved' || r.status === 'delegated') message.success(`已导出 ${data.length} 条反馈记录`);
    else if (r.status === 'failed') message.error(`导出失败：${r.message}`);
  }

  return (
    <Card
      size="small"
      title={`核查记录（${rows.length}）：容缺受理 ${rows.filter((c) => c.fastTrack).length} 件，绿色通道 ${rows.filter((c) => c.greenChannel).length} 件`}
      data-testid="history-page"
    >
      <Space style={{ marginBottom: 12 }} wrap>
        <Input.Search
          allowClear
          placeholder="代码或主体名称"
          onSearch={(text) => setQ({ ...q, text })}
          style={{ width: 240 }}
          data-testid="history-search"
        />
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder="审批事项"
          style={{ width: 220 }}
          value={q.matterId}
          onChange={(matterId?: string) => setQ({ ...q, matterId })}
          options={app.matters.map((m) => ({ value: m.id, label: m.name }))}
        />
        <DatePicker.RangePicker value={range} onChange={(v) => setRange(v)} />
        <Select allowClear placeholder="经办人" style={{ width: 140 }} value={q.clerk} onChange={(clerk?: string) => setQ({ ...q, clerk })} options={clerks} />
        <Select
          allowClear
          placeholder="核查结论"
          style={{ width: 180 }}
          value={q.headline}
          onChange={(headline?: Headline) => setQ({ ...q, headline })}
          options={(Object.keys(HEADLINE) as Headline[]).map((h) => ({ value: h, label: HEADLINE[h].title }))}
        />
        <UnmaskedExportSwitch value={unmasked} onChange={setUnmasked} />
        <Button onClick={() => void onExport()} disabled={rows.length === 0} data-testid="history-export">
          导出核查记录
        </Button>
        <Button onClick={() => void onExportFeedback()} disabled={rows.length === 0} data-testid="history-export-feedback">
          导出执行反馈
        </Button>
      </Space>
      <Table<CheckRecord>
        size="small"
        rowKey="id"
        dataSource={rows}
        pagination={{ pageSize: 20, showSizeChanger: false }}
        locale={{ emptyText: '暂无核查记录' }}
        columns={[
          { title: '核查时间', width: 150, render: (_, c) => formatMoment(c.createdAt) },
          { title: '审批事项', render: (_, c) => matterName.get(c.matterId) ?? c.matterId },
          { title: '主体', render: (_, c) => c.subjectName ?? '—' },
          { title: '代码', width: 190, render: (_, c) => shieldIdentifier(c.subjectType, c.identifier) },
          { title: '结论', width: 170, render: (_, c) => <Tag color={HEADLINE_COLOR[c.headline]}>{HEADLINE[c.headline].title}</Tag> },
          { title: '容缺 / 绿色通道', width: 120, render: (_, c) => [c.fastTrack && '容缺', c.greenChannel && '绿色通道'].filter(Boolean).join('、') || '—' },
          { title: '经办人', dataIndex: 'clerk', width: 110 },
          {
            title: '操作',
            width: 80,
            render: (_, c) => (
              <Button size="small" onClick={() => void onReprint(c.id)} data-testid="reprint">
                重印
              </Button>
            ),
          },
        ]}
      />
      {reprint && (
        <PrintDialog open onClose={() => setReprint(null)} title="信用核查记录单（重印）" fileName={`核查记录单-${reprint.checkId.slice(0, 8)}.pdf`}>
          <PrintRecord p={reprint} />
        </PrintDialog>
      )}
    </Card>
  );
}
