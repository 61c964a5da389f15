/** 我的检查记录: the signed-in inspector's inspections with their sync state, and one in detail with its photos. */
import { useEffect, useMemo, useState } from 'react';
import { Alert, App as AntApp, Descriptions, Drawer, Spin, Typography } from 'antd';
import { columnSizingFeature, createColumnHelper, tableFeatures, useTable } from '@tanstack/react-table';
import { shieldIdentifier, validateIdNumber } from '../../../shared/domain/identifiers';
import { useApp } from '../../app/AppContext';
import { formatMoment } from '../../app/format';
import { getClientApi } from '../../bridge';
import { inspectionDetail, inspectionsBy, type InspectionDetail, type InspectionRow } from '../../db/inspections';
import { DataTable } from './DataTable';
import { FileTiles, type ShownFile } from './files';
import { classTag, syncTag } from './labels';

const features = tableFeatures({ columnSizingFeature });
const helper = createColumnHelper<typeof features, InspectionRow>();

/** Findings carry no subject type: an 18-character ID number is a person's and is masked. */
function shownCode(identifier: string): string {
  return shieldIdentifier(validateIdNumber(identifier).status === 'invalid' ? '法人' : '自然人', identifier);
}

function excerpt(text: string, n = 40): string {
  return text.length > n ? `${text.slice(0, n)}…` : text;
}

export function InspectionList({ revision, open, onOpen }: { revision: number; open: string | null; onOpen: (id: string | null) => void }) {
  const app = useApp();
  const [rows, setRows] = useState<InspectionRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { db } = app;
  const inspector = app.actor.name;
  const pending = app.mirror.pending;

  // Reload after a save (revision) and when the sync moved records (pending count).
  useEffect(() => {
    let live = true;
    inspectionsBy(db, inspector)
      .then((r) => {
        if (live) setRows(r);
      })
      .catch((e: unknown) => {
        if (live) setError(e instanceof Error ? e.message : String(e));
      });
    return () => {
      live = false;
    };
  }, [db, inspector, revision, pending]);

  const columns = useMemo(
    () =>
      helper.columns([
        helper.display({ id: 'at', header: '检查时间', size: 150, cell: (c) => formatMoment(c.row.original.finding.at) }),
        helper.display({ id: 'subject', header: '被检查主体', cell: (c) => c.row.original.finding.subjectName }),
        helper.display({ id: 'code', header: '代码', size: 215, cell: (c) => shownCode(c.row.original.finding.identifier) }),
        helper.display({ id: 'class', header: '监管类别', size: 100, cell: (c) => classTag(c.row.original.finding.supervisionClass) }),
        helper.display({ id: 'findings', header: '检查情况', cell: (c) => excerpt(c.row.original.finding.findings) }),
        helper.display({ id: 'files', header: '材料', size: 60, cell: (c) => `${c.row.original.finding.attachments.length} 个` }),
        helper.display({ id: 'initiate', header: '发起报告', size: 90, cell: (c) => (c.row.original.finding.initiate ? '已发起' : '—') }),
        helper.display({ id: 'sync', header: '上报状态', size: 100, cell: (c) => syncTag(c.row.original.sync, c.row.original.syncError) }),
      ]),
    [],
  );
  const table = useTable({ features, columns, data: rows ?? [], getRowId: (r) => r.finding.id });

  if (error) return <Alert type="error" showIcon title="读取检查记录失败" description={error} />;
  if (rows === null) return <Spin />;
  return (
    <>
      <Typography.Paragraph type="secondary" data-testid="inspection-count">
        {`${inspector} 在本机录入的检查记录 ${rows.length} 条，其中待上报 ${rows.filter((r) => r.sync === 'pending').length} 条`}
      </Typography.Paragraph>
      <DataTable
        testId="inspections"
        fill={['subject', 'findings']}
        caption="我的检查记录"
        headers={(table.getHeaderGroups()[0]?.headers ?? []).map((h) => ({
          id: h.id,
          header: <table.FlexRender header={h} />,
          width: h.column.columnDef.size,
        }))}
        rows={table.getRowModel().rows.map((r) => ({
          id: r.id,
          original: r.original,
          cells: r.getAllCells().map((c) => ({ id: c.id, node: <table.FlexRender cell={c} /> })),
        }))}
        onOpen={(r) => onOpen(r.finding.id)}
        empty="还没有检查记录：在“辖区主体”中选择主体，或按代码查找后录入"
      />
      {open && <InspectionDetailDrawer id={open} revision={pending} onClose={() => onOpen(null)} />}
    </>
  );
}

function InspectionDetailDrawer({ id, revision, onClose }: { id: string; revision: number; onClose: () => void }) {
  const app = useApp();
  const { message } = AntApp.useApp();
  const [detail, setDetail] = useState<InspectionDetail | null | undefined>(undefined);
  const { db } = app;

  useEffect(() => {
    let live = true;
    void inspectionDetail(db, id).then((d) => {
      if (live) setDetail(d ?? null);
    });
    return () => {
      live = false;
    };
  }, [db, id, revision]);

  const files = useMemo<ShownFile[]>(
    () => (detail?.files ?? []).map((f) => ({ key: f.id, name: f.name, mime: f.mime, size: f.size, bytes: f.bytes })),
    [detail],
  );

  async function saveAs(f: ShownFile) {
    const r = await getClientApi().saveFile({ suggestedName: f.name, bytes: new Uint8Array(f.bytes) });
    if (r.status === 'failed') message.error(`另存失败：${r.message}`);
  }

  const f = detail?.finding;
  return (
    <Drawer open size="large" onClose={onClose} title={f ? `检查记录 · ${f.subjectName}` : '检查记录'} data-testid="inspection-detail">
      {detail === undefined && <Spin />}
      {detail === null && <Alert type="warning" showIcon title="本机没有这条检查记录" />}
      {detail && f && (
        <>
          <Descriptions column={1} bordered size="small" styles={{ label: { width: 120, whiteSpace: 'nowrap' } }}>
            <Descriptions.Item label="检查时间">{formatMoment(f.at)}</Descriptions.Item>
            <Descriptions.Item label="检查人员">{f.inspector}</Descriptions.Item>
            <Descriptions.Item label="被检查主体">{f.subjectName}</Descriptions.Item>
            <Descriptions.Item label="代码">{shownCode(f.identifier)}</Descriptions.Item>
            <Descriptions.Item label="监管类别">{classTag(f.supervisionClass)}</Descriptions.Item>
            <Descriptions.Item label="检查情况">
              <span style={{ whiteSpace: 'pre-wrap' }} data-testid="detail-findings">
                {f.findings}
              </span>
            </Descriptions.Item>
            <Descriptions.Item label="失信行为报告">
              {f.initiate ? (
                <div data-testid="detail-initiate">
                  <div>
                    <Typography.Text strong>失信行为：</Typography.Text>
                    <span style={{ whiteSpace: 'pre-wrap' }}>{f.initiate.behaviour}</span>
                  </div>
                  <div>
                    <Typography.Text strong>证据说明：</Typography.Text>
                    <span style={{ whiteSpace: 'pre-wrap' }}>{f.initiate.evidence}</span>
                  </div>
                </div>
              ) : (
                '未发起'
              )}
            </Descriptions.Item>
            <Descriptions.Item label="上报状态">
              {syncTag(detail.sync, detail.syncError)}
              {detail.syncError && <Typography.Text type="danger">{detail.syncError}</Typography.Text>}
            </Descriptions.Item>
            <Descriptions.Item label="记录编号">
              <Typography.Text code data-testid="detail-id">
                {f.id}
              </Typography.Text>
            </Descriptions.Item>
          </Descriptions>
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {`现场照片和检查文书（${files.length} 个，仅保存在本机）`}
          </Typography.Title>
          {files.length === 0 ? (
            <Typography.Text type="secondary">无</Typography.Text>
          ) : (
            <FileTiles files={files} onSaveAs={(file) => void saveAs(file)} testId="detail-files" />
          )}
        </>
      )}
    </Drawer>
  );
}
