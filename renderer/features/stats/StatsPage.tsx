/**
 * 统计 (跟踪、监测、统计): checks, hit rate, measures applied and not applied with the reasons
 * given, 容缺受理 and 绿色通道 cases, commitments and records waiting to sync, for 本月, 本季度
 * or a custom range, grouped by day, month, quarter, matter, department or clerk. Exports the
 * 统计表 and the 季度报送 (docs/quarterly-report.md).
 *
 * The records come from renderer/db/stats-source.ts (chunked, 'stats.view'); the counting is
 * shared/domain/stats.ts summarize(); the charts are charts.tsx.
 */
import { useEffect, useMemo, useState, type HTMLAttributes } from 'react';
import { Alert, App as AntApp, Button, Card, DatePicker, Segmented, Space, Spin, Switch, Table, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { chinaDate } from '../../../shared/domain/rules-config';
import { summarize, type StatsDimension, type StatsGroup, type StatsSummary } from '../../../shared/domain/stats';
import { useApp } from '../../app/AppContext';
import { formatMoment } from '../../app/format';
import { readStatsSource, type StatsSource } from '../../db/stats-source';
import { saveWorkbook } from '../../export/xlsx';
import { BarTable, CHART_COLOURS, ColumnChart } from './charts';
import {
  DIMENSION_LABELS,
  daysRange,
  defaultDimension,
  monthOf,
  quarterOf,
  rangeLabel,
  thisQuarter,
  type PeriodChoice,
  type Range,
} from './periods';
import { exportQuarterly, exportStatsTable } from './stats-export';
import { STATS_COLUMNS, TOTAL_KEY, formatPercent, groupHeader, rowHasData, statsRows, type StatsRow } from './stats-table';
import './stats.css';

const PERIOD_OPTIONS: { value: PeriodChoice; label: string }[] = [
  { value: 'month', label: '本月' },
  { value: 'quarter', label: '本季度' },
  { value: 'custom', label: '自定义' },
];

const DIMENSIONS: StatsDimension[] = ['day', 'month', 'quarter', 'matter', 'department', 'clerk'];

const TOP_REASONS = 5;

interface Loaded {
  range: Range;
  source: StatsSource;
  at: number;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function Tile(props: { label: string; value: string | number; sub?: string; testId: string; tone?: 'alert' }) {
  return (
    <div className={`stats-tile${props.tone === 'alert' ? ' stats-tile-alert' : ''}`} data-testid={props.testId}>
      <div className="stats-tile-label">{props.label}</div>
      <div className="stats-tile-value" data-testid={`${props.testId}-value`}>
        {props.value}
      </div>
      {props.sub && <div className="stats-tile-sub">{props.sub}</div>}
    </div>
  );
}

export function StatsPage() {
  const app = useApp();
  const { message } = AntApp.useApp();
  const { db, actor } = app;
  // "Now" when the screen opened or was refreshed: the periods do not slide while one reads.
  const [openedAt, setOpenedAt] = useState(() => app.now());
  const [choice, setChoice] = useState<PeriodChoice>('month');
  const [custom, setCustom] = useState<[Dayjs, Dayjs] | null>(null);
  const [by, setBy] = useState<StatsDimension>('day');
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [progress, setProgress] = useState<{ range: Range; rows: number } | null>(null);
  const [failure, setFailure] = useState<{ range: Range; message: string } | null>(null);
  const [quarterPick, setQuarterPick] = useState<Dayjs>(() => {
    const q = quarterOf(app.now());
    return dayjs(`${q.year}-${String((q.quarter - 1) * 3 + 1).padStart(2, '0')}-01`);
  });
  const [exporting, setExporting] = useState(false);

  const range = useMemo<Range | null>(() => {
    if (choice === 'month') return monthOf(openedAt);
    if (choice === 'quarter') return thisQuarter(openedAt);
    if (!custom) return null;
    return daysRange(custom[0].format('YYYY-MM-DD'), custom[1].format('YYYY-MM-DD'));
  }, [choice, custom, openedAt]);

  useEffect(() => {
    if (!range) return;
    const abort = new AbortController();
    readStatsSource(db, actor, range, {
      signal: abort.signal,
      onProgress: (rows) => {
        if (!abort.signal.aborted) setProgress({ range, rows });
      },
    })
      .then((source) => {
        if (!abort.signal.aborted) setLoaded({ range, source, at: app.now() });
      })
      .catch((e: unknown) => {
        if (!abort.signal.aborted) setFailure({ range, message: `统计失败：${errorText(e)}` });
      });
    return () => abort.abort();
    // app.now is stable for the app's lifetime; the range decides what to read.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [db, actor, range]);

  const error = failure?.range === range ? failure.message : null;
  const reading = range !== null && loaded?.range !== range && error === null ? (progress?.range === range ? progress.rows : 0) : null;

  // What is on screen is the range asked for: a reading of another range is not shown under it.
  const current = loaded && range && loaded.range.from === range.from && loaded.range.to === range.to ? loaded : null;
  const { summary, problem } = useMemo<{ summary: StatsSummary | null; problem: string | null }>(() => {
    if (!current) return { summary: null, problem: null };
    try {
      // Commitments open "at the end" of a period still running are those open now.
      return { summary: summarize({ ...current.source.input, asOf: current.at }, by), problem: null };
    } catch (e) {
      // A day grouping of a very long range is refused by summarize: show the totals only.
      return { summary: summarize({ ...current.source.input, asOf: current.at }), problem: errorText(e) };
    }
  }, [current, by]);

  const matterName = useMemo(() => new Map(app.matters.map((m) => [m.id, m.name])), [app.matters]);
  const labelOf = useMemo(
    () => (g: StatsGroup) => (summary?.by === 'matter' ? (matterName.get(g.key) ?? g.key) : g.label),
    [summary?.by, matterName],
  );
  const [onlyActive, setOnlyActive] = useState(true);
  const rows = useMemo<StatsRow[]>(
    () => (summary ? statsRows(summary, labelOf).filter((r) => !onlyActive || r.key === TOTAL_KEY || rowHasData(r)) : []),
    [summary, labelOf, onlyActive],
  );

  function choosePeriod(next: PeriodChoice) {
    setChoice(next);
    const r = next === 'month' ? monthOf(openedAt) : next === 'quarter' ? thisQuarter(openedAt) : range;
    if (r && ['day', 'month', 'quarter'].includes(by)) setBy(defaultDimension(next, r));
  }

  function chooseCustom(v: [Dayjs | null, Dayjs | null] | null) {
    if (!v?.[0] || !v[1]) {
      setCustom(null);
      return;
    }
    const next: [Dayjs, Dayjs] = [v[0], v[1]];
    setCustom(next);
    if (['day', 'month', 'quarter'].includes(by))
      setBy(defaultDimension('custom', daysRange(next[0].format('YYYY-MM-DD'), next[1].format('YYYY-MM-DD'))));
  }

  async function save(file: { fileName: string; bytes: Uint8Array<ArrayBuffer> }, what: string) {
    const r = await saveWorkbook(file.fileName, file.bytes);
    if (r.status === 'saved') message.success(`已导出${what}到 ${r.fileName}`);
    else if (r.status === 'delegated') message.success(`已导出${what}：${file.fileName}`);
    else if (r.status === 'failed') message.error(`导出失败：${r.message}`);
  }

  async function onExportTable() {
    if (!summary) return;
    try {
      await save(await exportStatsTable(db, actor, summary, labelOf, app.now(), { onlyActive }), '统计表');
    } catch (e) {
      message.error(`导出失败：${errorText(e)}`);
    }
  }

  async function onExportQuarterly() {
    const year = quarterPick.year();
    const quarter = (Math.floor(quarterPick.month() / 3) + 1) as 1 | 2 | 3 | 4;
    setExporting(true);
    try {
      await save(await exportQuarterly(db, actor, year, quarter, app.now()), '季度报送');
    } catch (e) {
      message.error(`导出失败：${errorText(e)}`);
    } finally {
      setExporting(false);
    }
  }

  const s = summary;
  const applied = s ? s.measures.已惩戒 + s.measures.已激励 : 0;
  const tableId = 'stats-table';
  const groupCol = groupHeader(s?.by ?? by);
  const snapshotDate = current ? chinaDate(Math.min(current.range.to - 1, current.at)) : '';
  const busiest = s?.groups.reduce<StatsGroup | null>((best, g) => (g.checks > (best?.checks ?? 0) ? g : best), null);

  return (
    <div className="stats-page" data-testid="stats-page">
      <Card size="small" title="统计（跟踪、监测、统计）">
        <Space wrap size="middle" className="stats-controls">
          <span className="stats-control">
            <span className="stats-control-label">期间</span>
            <Segmented<PeriodChoice> options={PERIOD_OPTIONS} value={choice} onChange={choosePeriod} data-testid="stats-period" />
          </span>
          {choice === 'custom' && (
            <DatePicker.RangePicker value={custom} onChange={chooseCustom} allowClear={false} data-testid="stats-custom-range" />
          )}
          <span className="stats-control">
            <span className="stats-control-label">分组</span>
            <Segmented<StatsDimension>
              options={DIMENSIONS.map((d) => ({ value: d, label: DIMENSION_LABELS[d] }))}
              value={by}
              onChange={setBy}
              data-testid="stats-by"
            />
          </span>
          <Button onClick={() => setOpenedAt(app.now())} data-testid="stats-refresh">
            刷新
          </Button>
          <Button onClick={() => void onExportTable()} disabled={!s} data-testid="stats-export">
            导出统计表
          </Button>
          <span className="stats-control">
            <span className="stats-control-label">季度报送</span>
            <DatePicker
              picker="quarter"
              value={quarterPick}
              format={(d) => `${d.year()}年第${Math.floor(d.month() / 3) + 1}季度`}
              allowClear={false}
              onChange={(d: Dayjs | null) => d && setQuarterPick(d)}
              data-testid="stats-quarter"
              aria-label="报送季度"
            />
            <Button type="primary" onClick={() => void onExportQuarterly()} loading={exporting} data-testid="stats-export-quarterly">
              导出季度报送
            </Button>
          </span>
        </Space>
        <div className="stats-range" data-testid="stats-range">
          {range ? `统计区间：${rangeLabel(range)}（北京时间）` : '请选择开始和结束日期'}
          {current && <span className="stats-read-at">数据读取于 {formatMoment(current.at)}</span>}
        </div>
      </Card>

      {(error ?? problem) && <Alert type="error" showIcon title={error ?? problem} data-testid="stats-error" />}
      {reading !== null && (
        <div className="stats-reading" data-testid="stats-reading">
          <Spin size="small" /> 正在读取本机记录… 已读取 {reading} 条
        </div>
      )}

      {s && (
        <>
          <section className="stats-tiles" aria-label="主要指标" data-testid="stats-tiles" data-checks={s.checks}>
            <Tile label="核查次数" value={s.checks} testId="stat-checks" />
            <Tile
              label="命中率"
              value={formatPercent(s.hitRate)}
              sub={`命中 ${s.hits} 次`}
              testId="stat-hit-rate"
            />
            <Tile label="已实施措施" value={applied} sub={`惩戒 ${s.measures.已惩戒}，激励 ${s.measures.已激励}`} testId="stat-applied" />
            <Tile label="未执行措施" value={s.measures.不执行} sub={`理由 ${s.notAppliedReasons.length} 种`} testId="stat-not-applied" />
            <Tile label="容缺受理" value={s.fastTrack} testId="stat-fast-track" />
            <Tile label="绿色通道" value={s.greenChannel} testId="stat-green-channel" />
            <Tile
              label="未结承诺"
              value={s.commitments.openAtEnd}
              sub={`截至 ${snapshotDate.slice(5)}，逾期 ${s.commitments.overdueAtEnd}`}
              testId="stat-open-commitments"
              tone={s.commitments.overdueAtEnd > 0 ? 'alert' : undefined}
            />
            <Tile label="违诺" value={s.commitments.breached} sub={`本期新增承诺 ${s.commitments.made}`} testId="stat-breached" />
            <Tile
              label="待同步记录"
              value={s.pendingSync}
              sub={current && current.source.outbox.rejected > 0 ? `被退回 ${current.source.outbox.rejected} 条待处理` : '当前数，不分期间'}
              testId="stat-pending-sync"
              tone={current && current.source.outbox.rejected > 0 ? 'alert' : undefined}
            />
          </section>

          <div className="stats-charts">
            <Card size="small" className="stats-chart-wide">
              <ColumnChart
                title={`核查与命中（${DIMENSION_LABELS[s.by ?? by]}）`}
                categories={s.groups.map((g) => labelOf(g))}
                axisLabels={s.by === 'day' ? s.groups.map((g) => g.key.slice(5)) : undefined}
                series={[
                  { name: '核查次数', colour: CHART_COLOURS.checks, values: s.groups.map((g) => g.checks) },
                  { name: '命中次数', colour: CHART_COLOURS.hits, values: s.groups.map((g) => g.hits) },
                ]}
                summary={
                  s.groups.length === 0
                    ? '本期没有核查记录。'
                    : `共 ${s.groups.length} 组，合计核查 ${s.checks} 次、命中 ${s.hits} 次${busiest ? `；核查最多的是 ${labelOf(busiest)}（${busiest.checks} 次）` : ''}。各组数字见下方统计表。`
                }
                tableId={tableId}
                testId="chart-checks"
              />
            </Card>
            <Card size="small">
              <BarTable
                title="命中结构"
                testId="chart-headlines"
                items={[
                  { label: '命中黑名单', value: s.hitsByHeadline.black, colour: CHART_COLOURS.hits },
                  { label: '命中重点关注名单', value: s.hitsByHeadline.watch, colour: CHART_COLOURS.notApplied },
                  { label: '命中红名单', value: s.hitsByHeadline.red, colour: CHART_COLOURS.rewarded },
                  { label: '未命中', value: s.checks - s.hits, colour: CHART_COLOURS.neutral },
                ]}
              />
              <BarTable
                title="措施执行情况"
                testId="chart-measures"
                items={[
                  { label: '已惩戒', value: s.measures.已惩戒, colour: CHART_COLOURS.punished },
                  { label: '已激励', value: s.measures.已激励, colour: CHART_COLOURS.rewarded },
                  { label: '不执行', value: s.measures.不执行, colour: CHART_COLOURS.notApplied },
                ]}
              />
            </Card>
            <Card size="small">
              <BarTable
                title={`不执行理由（前 ${TOP_REASONS} 位，共 ${s.notAppliedReasons.length} 种）`}
                testId="chart-reasons"
                empty="本期没有不执行的措施"
                items={s.notAppliedReasons.slice(0, TOP_REASONS).map((r) => ({
                  label: r.reason,
                  value: r.count,
                  colour: CHART_COLOURS.notApplied,
                  testId: 'stats-reason',
                }))}
              />
            </Card>
            <Card size="small">
              <BarTable
                title="容缺受理、绿色通道与信用承诺"
                testId="chart-commitments"
                unit="件数"
                items={[
                  { label: '容缺受理', value: s.fastTrack, colour: CHART_COLOURS.fastTrack },
                  { label: '绿色通道', value: s.greenChannel, colour: CHART_COLOURS.rewarded },
                  { label: '新增承诺', value: s.commitments.made, colour: CHART_COLOURS.checks },
                  { label: '已补齐', value: s.commitments.supplied, colour: CHART_COLOURS.rewarded },
                  { label: '违诺', value: s.commitments.breached, colour: CHART_COLOURS.hits },
                  { label: '期末未结', value: s.commitments.openAtEnd, colour: CHART_COLOURS.neutral },
                  { label: '其中已逾期', value: s.commitments.overdueAtEnd, colour: CHART_COLOURS.notApplied },
                ]}
              />
            </Card>
          </div>

          <Card
            size="small"
            title={`统计表（${s.by ? DIMENSION_LABELS[s.by] : '合计'}）`}
            extra={
              <label className="stats-control">
                <Switch size="small" checked={onlyActive} onChange={setOnlyActive} data-testid="stats-only-active" />
                只列有数据的行（导出同此）
              </label>
            }
          >
            <Table<StatsRow>
              id={tableId}
              size="small"
              rowKey="key"
              dataSource={rows}
              pagination={false}
              scroll={{ x: 120 + 62 * STATS_COLUMNS.length }}
              tableLayout="fixed"
              rowClassName={(r) => (r.key === TOTAL_KEY ? 'stats-total-row' : '')}
              data-testid="stats-table"
              onRow={(r) => ({ 'data-testid': 'stats-row', 'data-key': r.key }) as HTMLAttributes<HTMLElement>}
              columns={[
                { title: groupCol, key: 'label', fixed: 'left', width: 120, render: (_, r) => r.label },
                ...STATS_COLUMNS.map((c) => ({
                  title: c.header,
                  key: c.key,
                  width: 62,
                  align: 'right' as const,
                  render: (_: unknown, r: StatsRow) => {
                    const v = c.value(r.totals);
                    return c.percent ? formatPercent(v) : (v ?? '—');
                  },
                })),
              ]}
            />
            <Typography.Paragraph className="stats-footnote">
              核查按核查时间、执行反馈按反馈时间计入期间（北京时间）；一次核查同时命中多种名单时按核查结论计一次；期末未结承诺为区间结束时（区间尚未结束的，为读取数据时）仍未补齐也未违诺的承诺，其中已逾期为届时已过补齐期限的。
            </Typography.Paragraph>
          </Card>
        </>
      )}
    </div>
  );
}
