/**
 * 红黑名单: browse the mirror however large it is. Rows are read from the database a page at
 * a time as the clerk scrolls (never the whole list in memory); an identifier or a part of a
 * name finds records through the mirror's indexes.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Alert, App as AntApp, Button, Card, DatePicker, Descriptions, Drawer, Input, Segmented, Select, Space, Spin, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { columnSizingFeature, createColumnHelper, tableFeatures, useTable } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { ListColour, ListRecord } from '../../../shared/domain/schemas';
import { shieldIdentifier } from '../../../shared/domain/identifiers';
import { chinaDate } from '../../../shared/domain/rules-config';
import { recordState, type RecordState } from '../../../shared/domain/verdict';
import { useApp } from '../../app/AppContext';
import { browseMirror, lookupIdentifier, searchByName } from '../../db/mirror';
import { matchesBrowseFilter, type BrowseFilter } from '../../db/mirror-store';
import { SET_ASIDE_LABEL, colourTag } from '../check/labels';
import { saveWorkbook } from '../../export/xlsx';
import { exportWorkbook, idCell, type ExportCell } from '../../db/disclosure';
import { RevealIdentifier } from '../account/RevealIdentifier';
import { UnmaskedExportSwitch } from '../account/UnmaskedExportSwitch';
import { formatMoment } from '../../app/format';

const COLOUR_TEXT: Record<ListColour, string> = { black: '黑名单', red: '红名单', watch: '重点关注名单' };
const EXPORT_HEADER = ['名单', '名单类型', '主体名称', '主体类型', '代码', '法定代表人', '认定部门', '认定依据', '列入事由', '认定日期', '有效期起', '有效期止', '严重程度', '状态', '记录编号', '版本'];

/** Rows kept loaded at most: past this, the clerk is asked to narrow the view. */
const MAX_LOADED = 20_000;
/**
 * Rows one export of this screen takes at most: every record the filter matches, not only the
 * rows scrolled into view, up to this (100,000 take ~3 s, `npm run bench` export.listRows).
 */
const EXPORT_MAX = 200_000;
const EXPORT_PAGE = 5_000;
const PAGE = 200;
const ROW_HEIGHT = 36;

const STATE_LABEL: Record<RecordState, string> = { active: '有效', ...SET_ASIDE_LABEL };
const STATES = Object.keys(STATE_LABEL) as RecordState[];

const features = tableFeatures({ columnSizingFeature });
const helper = createColumnHelper<typeof features, ListRecord>();

function shownId(r: ListRecord): string {
  return r.idNumber ? shieldIdentifier('自然人', r.idNumber) : (r.uscc ?? r.otherIds[0]?.value ?? '—');
}

/** The record's code for an export: a person's ID number goes through the disclosure rules. */
function exportId(r: ListRecord): ExportCell {
  return r.idNumber ? idCell('自然人', r.idNumber) : (r.uscc ?? r.otherIds[0]?.value ?? '—');
}

type Colour = 'all' | ListColour;

export function ListsPage() {
  const app = useApp();
  const today = chinaDate(app.now());
  const [colour, setColour] = useState<Colour>('all');
  const [states, setStates] = useState<RecordState[]>([]);
  const [query, setQuery] = useState('');
  const [department, setDepartment] = useState('');
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [rows, setRows] = useState<ListRecord[]>([]);
  const [next, setNext] = useState<Awaited<ReturnType<typeof browseMirror>>['next']>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [detail, setDetail] = useState<ListRecord | null>(null);
  const [unmasked, setUnmasked] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [searchNote, setSearchNote] = useState<string | null>(null);
  const { message } = AntApp.useApp();
  const generation = useRef(0);
  const scrollRef = useRef<HTMLDivElement>(null);
  const { db } = app;

  const filter = useMemo<BrowseFilter>(
    () => ({
      colours: colour === 'all' ? undefined : [colour],
      states: states.length > 0 ? states : undefined,
      today,
      department: department.trim() || undefined,
      designatedFrom: range?.[0]?.format('YYYY-MM-DD'),
      designatedTo: range?.[1]?.format('YYYY-MM-DD'),
    }),
    [colour, states, today, department, range],
  );

  // A new filter or search starts over; an older request that answers late is ignored.
  useEffect(() => {
    const gen = ++generation.current;
    let live = true;
    scrollRef.current?.scrollTo({ top: 0 });
    void (async () => {
      setLoading(true);
      setError(null);
      try {
        const q = query.trim().toUpperCase();
        if (q.length === 18 || q.length === 15) {
          const hits = await lookupIdentifier(db, q);
          const found = [...hits.subject, ...hits.legalRep].filter((r) => matchesBrowseFilter(r, filter));
          if (live && gen === generation.current) {
            setRows(found);
            setNext(null);
            setSearchNote(`按代码查得 ${found.length} 条（含作为法定代表人的记录）`);
          }
        } else if (query.trim().length >= 2) {
          const res = await searchByName(db, query.trim(), { limit: 500 });
          const found = res.records.filter((r) => matchesBrowseFilter(r, filter));
          if (live && gen === generation.current) {
            setRows(found);
            setNext(null);
            setSearchNote(`名称包含“${query.trim()}”：${found.length} 条${res.more ? '（仅显示前 500 条，请输入更完整的名称）' : ''}`);
          }
        } else {
          const page = await browseMirror(db, { filter, limit: PAGE });
          if (live && gen === generation.current) {
            setRows(page.records);
            setNext(page.next);
            setSearchNote(null);
          }
        }
      } catch (e) {
        if (live) setError(e instanceof Error ? e.message : String(e));
      } finally {
        if (live) setLoading(false);
      }
    })();
    return () => {
      live = false;
    };
  }, [db, filter, query, today]);

  const loadMore = useCallback(async () => {
    if (!next || loading || rows.length >= MAX_LOADED) return;
    const gen = generation.current;
    setLoading(true);
    try {
      const page = await browseMirror(db, { filter, after: next, limit: PAGE });
      if (gen !== generation.current) return;
      setRows((r) => [...r, ...page.records]);
      setNext(page.next);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setLoading(false);
    }
  }, [db, filter, next, loading, rows.length]);

  const columns = useMemo(
    () =>
      helper.columns([
        helper.accessor('colour', { header: '名单', size: 110, cell: (c) => colourTag(c.getValue()) }),
        helper.accessor('listType', { header: '名单类型', size: 200 }),
        helper.accessor('subjectName', { header: '主体名称', size: 280 }),
        helper.display({ id: 'code', header: '代码', size: 215, cell: (c) => shownId(c.row.original) }),
        helper.accessor('deptName', { header: '认定部门', size: 220 }),
        helper.accessor('designatedOn', { header: '认定日期', size: 110 }),
        helper.display({
          id: 'state',
          header: '状态',
          size: 150,
          cell: (c) => {
            const s = recordState(c.row.original, today);
            return <Tag color={s === 'active' ? 'green' : s === 'suspended' ? 'orange' : 'default'}>{STATE_LABEL[s]}</Tag>;
          },
        }),
      ]),
    [today],
  );
  const table = useTable({ features, columns, data: rows, getRowId: (r) => r.id });
  const tableRows = table.getRowModel().rows;

  // The virtualizer is read fresh on every render (no memoised values taken from it).
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: tableRows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? 0;
  useEffect(() => {
    if (lastIndex >= tableRows.length - 40) void loadMore();
  }, [lastIndex, tableRows.length, loadMore]);

  /** Every record the current filter matches (the loaded rows, then the rest read from the mirror), up to EXPORT_MAX. */
  async function exportRecords(): Promise<{ records: ListRecord[]; capped: boolean }> {
    const out = [...rows];
    let after = next;
    const key = 'lists-export-progress';
    try {
      while (after && out.length < EXPORT_MAX) {
        message.open({ key, type: 'loading', content: `正在读取要导出的名单：已读 ${out.length.toLocaleString('zh-CN')} 条…`, duration: 0 });
        const page = await browseMirror(db, { filter, after, limit: EXPORT_PAGE });
        out.push(...page.records);
        after = page.next;
      }
    } finally {
      message.destroy(key);
    }
    return { records: out.slice(0, EXPORT_MAX), capped: after !== null || out.length > EXPORT_MAX };
  }

  // Every record of the current result as a workbook; persons' ID numbers masked (004 §3).
  async function onExport() {
    setExporting(true);
    const collected = await exportRecords()
      .catch((e: unknown) => {
        message.error(`读取名单失败，未导出：${e instanceof Error ? e.message : String(e)}`);
        return null;
      })
      .finally(() => setExporting(false));
    if (!collected) return;
    const data: ExportCell[][] = collected.records.map((r) => [
      COLOUR_TEXT[r.colour], r.listType, r.subjectName, r.subjectType, exportId(r), r.legalRepName ?? '', r.deptName, r.basis, r.reason,
      r.designatedOn, r.validFrom, r.validTo ?? '长期', r.severity, STATE_LABEL[recordState(r, today)], r.id, r.version,
    ]);
    const bytes = await exportWorkbook(app.db, app.actor, { what: '红黑名单', sheet: '红黑名单', header: EXPORT_HEADER, rows: data, unmasked }, app.now()).catch(
      (e: unknown) => {
        message.error(e instanceof Error ? e.message : String(e));
        return null;
      },
    );
    if (!bytes) return;
    const res = await saveWorkbook(`红黑名单-${formatMoment(app.now()).slice(0, 10)}.xlsx`, bytes);
    if (res.status === 'saved' || res.status === 'delegated') {
      if (collected.capped) message.warning(`结果超过 ${EXPORT_MAX.toLocaleString('zh-CN')} 条，只导出了前 ${data.length.toLocaleString('zh-CN')} 条；请用筛选缩小范围后分批导出`, 8);
      else message.success(`已导出 ${data.length.toLocaleString('zh-CN')} 条`);
    } else if (res.status === 'failed') message.error(`导出失败：${res.message}`);
  }

  const widths = table.getAllLeafColumns().map((c) => c.getSize());
  const totalWidth = widths.reduce((a, b) => a + b, 0);

  return (
    <Card size="small" title="红黑名单（本地镜像）" data-testid="lists-page">
      <Space style={{ marginBottom: 12 }} wrap>
        <Input.Search
          allowClear
          placeholder="输入 18 位代码，或名称中的至少两个字"
          onSearch={setQuery}
          style={{ width: 320 }}
          data-testid="lists-search"
        />
        <Segmented<Colour>
          value={colour}
          onChange={setColour}
          options={[
            { value: 'all', label: '全部' },
            { value: 'black', label: '黑名单' },
            { value: 'red', label: '红名单' },
            { value: 'watch', label: '重点关注' },
          ]}
          data-testid="lists-colour"
        />
        <Select
          mode="multiple"
          allowClear
          placeholder="状态"
          style={{ minWidth: 220 }}
          value={states}
          onChange={setStates}
          options={STATES.map((s) => ({ value: s, label: STATE_LABEL[s] }))}
          data-testid="lists-state"
        />
        <Input.Search allowClear placeholder="认定部门" onSearch={setDepartment} style={{ width: 180 }} data-testid="lists-dept" />
        <DatePicker.RangePicker value={range} onChange={(v) => setRange(v)} placeholder={['认定日期起', '认定日期止']} />
        <UnmaskedExportSwitch value={unmasked} onChange={setUnmasked} />
        <Button onClick={() => void onExport()} disabled={rows.length === 0} loading={exporting} data-testid="lists-export">
          导出全部结果
        </Button>
        {loading && <Spin size="small" />}
      </Space>
      {error && <Alert type="error" showIcon title="读取名单失败" description={error} />}
      <Typography.Paragraph type="secondary" data-testid="lists-count">
        {searchNote ?? `已载入 ${rows.length.toLocaleString('zh-CN')} 条${next ? '，向下滚动继续载入' : '，已到末尾'}`}
        {rows.length >= MAX_LOADED && next && '（已达单次浏览上限，请用搜索或筛选缩小范围）'}
      </Typography.Paragraph>
      <div className="vgrid" role="table" aria-rowcount={rows.length} style={{ overflowX: 'auto' }}>
        <div className="vgrid-head" role="row" style={{ width: totalWidth }}>
          {table.getHeaderGroups()[0]?.headers.map((h, i) => (
            <div key={h.id} role="columnheader" className="vgrid-cell" style={{ width: widths[i] }}>
              <table.FlexRender header={h} />
            </div>
          ))}
        </div>
        <div ref={scrollRef} className="vgrid-body" data-testid="lists-scroll" style={{ width: totalWidth }}>
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((item) => {
              const row = tableRows[item.index];
              if (!row) return null;
              return (
                <div
                  key={row.id}
                  role="row"
                  tabIndex={0}
                  className="vgrid-row"
                  data-testid="lists-row"
                  onClick={() => setDetail(row.original)}
                  onKeyDown={(e) => e.key === 'Enter' && setDetail(row.original)}
                  style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
                >
                  {row.getAllCells().map((cell, i) => (
                    <div key={cell.id} role="cell" className="vgrid-cell" style={{ width: widths[i] }}>
                      <table.FlexRender cell={cell} />
                    </div>
                  ))}
                </div>
              );
            })}
          </div>
        </div>
      </div>
      <Drawer open={detail !== null} onClose={() => setDetail(null)} size="large" title={detail?.subjectName} data-testid="list-detail">
        {detail && <RecordDetail r={detail} today={today} />}
      </Drawer>
    </Card>
  );
}

function RecordDetail({ r, today }: { r: ListRecord; today: string }) {
  const s = recordState(r, today);
  return (
    <Descriptions column={1} bordered size="small" styles={{ label: { width: 120, whiteSpace: 'nowrap' } }}>
      <Descriptions.Item label="名单">
        {colourTag(r.colour)} {r.listType}
      </Descriptions.Item>
      <Descriptions.Item label="状态">{STATE_LABEL[s]}</Descriptions.Item>
      <Descriptions.Item label="主体">{`${r.subjectName}（${r.subjectType}）`}</Descriptions.Item>
      <Descriptions.Item label="代码">
        {r.idNumber ? <RevealIdentifier subjectType="自然人" identifier={r.idNumber} screen="红黑名单" recordId={r.id} /> : shownId(r)}
      </Descriptions.Item>
      {r.legalRepName && (
        <Descriptions.Item label="法定代表人">
          {r.legalRepName}
          {r.legalRepId && (
            <>
              （<RevealIdentifier subjectType="自然人" identifier={r.legalRepId} screen="红黑名单" recordId={r.id} />）
            </>
          )}
        </Descriptions.Item>
      )}
      <Descriptions.Item label="列入事由">{r.reason}</Descriptions.Item>
      <Descriptions.Item label="认定依据">{r.basis}</Descriptions.Item>
      <Descriptions.Item label="认定部门">{`${r.deptName}${r.deptCode ? `（${r.deptCode}）` : ''}`}</Descriptions.Item>
      <Descriptions.Item label="认定日期">{r.designatedOn}</Descriptions.Item>
      <Descriptions.Item label="有效期">{`${r.validFrom} 至 ${r.validTo ?? '长期'}`}</Descriptions.Item>
      {r.removedOn && <Descriptions.Item label="移出日期">{r.removedOn}</Descriptions.Item>}
      {r.repairedOn && <Descriptions.Item label="信用修复">{r.repairedOn}</Descriptions.Item>}
      <Descriptions.Item label="严重程度">{r.severity}</Descriptions.Item>
      <Descriptions.Item label="异议">{{ none: '无', pending: '处理中', rejected: '已驳回', upheld: '成立' }[r.objection]}</Descriptions.Item>
      <Descriptions.Item label="记录 / 版本">{`${r.id} / 第 ${r.version} 版`}</Descriptions.Item>
    </Descriptions>
  );
}
