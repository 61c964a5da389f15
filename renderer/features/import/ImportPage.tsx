/**
 * 数据导入: red / black lists, the measure list and the matter catalogue from the Excel
 * templates in resources/templates (offline sites, local supplementary lists). The file is read
 * and checked in a worker (run-import.ts) while a progress bar runs; then either every problem
 * is listed (sheet, row, column, field, message) and nothing is imported, or a preview shows
 * the counts and warnings and 确认导入 writes it all, whole or nothing (apply.ts, which itself
 * refuses anyone but an administrator): a list is applied in the mirror worker as rows of the
 * mirror's delta log, with a progress bar and 取消 (nothing is written until it commits). When
 * that makes the mirror due for compaction, the worker reorganises it in the background
 * afterwards; the done screen says so while it runs (look-ups read the current mirror and the
 * delta meanwhile; a compaction cut short by closing the app is done again at the next start).
 *
 * The actor comes as a prop until the app has accounts; the lead wires it from the session.
 */
import { useEffect, useRef, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Descriptions, Progress, Result, Segmented, Space, Table, Tag, Typography } from 'antd';
import { IMPORT_KINDS, IMPORT_KIND_LIST, type ImportKind } from '../../../shared/import/columns';
import { formatIssue, type ImportIssue, type ImportOk, type ImportPreview } from '../../../shared/import/validate';
import { useApp } from '../../app/AppContext';
import { getClientApi } from '../../bridge';
import { applyImport, type ApplySummary } from '../../import/apply';
import { sessionCan, type Session } from '../../db/session';
import { workerListWriter } from '../../import/apply-worker';
import { runImport, type ImportJob, type ImportProgress } from '../../import/run-import';
import { DEFAULT_READER_LIMITS } from '../../import/xlsx-reader';
// `no-inline`: a small asset would otherwise become a data: URL, which the CSP's connect-src refuses to fetch.
import listTemplateUrl from '../../../resources/templates/名单导入模板.xlsx?url&no-inline';
import measureTemplateUrl from '../../../resources/templates/措施清单导入模板.xlsx?url&no-inline';
import matterTemplateUrl from '../../../resources/templates/审批事项导入模板.xlsx?url&no-inline';

const TEMPLATE_URLS: Record<ImportKind, string> = { list: listTemplateUrl, measure: measureTemplateUrl, matter: matterTemplateUrl };
const XLSX_FILTER = [{ name: 'Excel 工作簿', extensions: ['xlsx'] }];

const PHASE_LABEL: Record<ImportProgress['phase'], string> = {
  check: '检查文件',
  parse: '解析工作簿',
  rows: '读取单元格',
  validate: '逐行校验',
};
const COLOUR_LABEL: Record<string, string> = { black: '黑名单', red: '红名单', watch: '重点关注名单' };
const MEASURE_KIND_LABEL: Record<string, string> = { punishment: '惩戒', reward: '激励' };

type Step =
  | { s: 'idle' }
  | { s: 'reading'; file: string; progress: ImportProgress }
  | { s: 'refused'; file: string; errors: ImportIssue[]; more: number }
  | { s: 'preview'; file: string; result: ImportOk }
  | { s: 'applying'; file: string; result: ImportOk; percent?: number }
  /** `reorganising`: the mirror worker is folding the import into a new generation (apply.ts mirrorReorganised). */
  | { s: 'done'; file: string; summary: ApplySummary; reorganising?: 'running' | 'finished' | 'deferred' };

const n = (x: number): string => x.toLocaleString('zh-CN');

function IssueTable({ issues, testId }: { issues: ImportIssue[]; testId: string }) {
  return (
    <Table<ImportIssue & { key: number }>
      size="small"
      data-testid={testId}
      dataSource={issues.map((e, key) => ({ ...e, key }))}
      pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true }}
      columns={[
        { title: '工作表', dataIndex: 'sheet', width: 100, render: (v: string) => v || '—' },
        { title: '行', dataIndex: 'row', width: 70, render: (v: number) => (v > 0 ? v : '—') },
        { title: '列', dataIndex: 'column', width: 60, render: (v: string) => v || '—' },
        { title: '字段', dataIndex: 'field', width: 160, render: (v: string) => v || '—' },
        { title: '问题', dataIndex: 'message' },
      ]}
    />
  );
}

/** Counts by something, as tags: 黑名单 3 · 红名单 2 … */
function Counts({ counts, label }: { counts: Record<string, number> | undefined; label?: Record<string, string> }) {
  if (!counts) return null;
  return (
    <Space wrap size={[4, 4]}>
      {Object.entries(counts)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => (
          <Tag key={k}>
            {label?.[k] ?? k} {n(v)}
          </Tag>
        ))}
    </Space>
  );
}

function PreviewCounts({ kind, preview }: { kind: ImportKind; preview: ImportPreview }) {
  return (
    <Descriptions column={1} bordered size="small" styles={{ label: { width: 140 } }}>
      <Descriptions.Item label="记录数">
        <Typography.Text strong data-testid="import-preview-rows">
          {n(preview.rows)}
        </Typography.Text>
      </Descriptions.Item>
      {kind === 'list' && (
        <>
          <Descriptions.Item label="按名单类别">
            <Counts counts={preview.byColour} label={COLOUR_LABEL} />
          </Descriptions.Item>
          <Descriptions.Item label="按名单类型">
            <Counts counts={preview.byListType} />
          </Descriptions.Item>
        </>
      )}
      {kind === 'measure' && (
        <>
          <Descriptions.Item label="按奖惩类型">
            <Counts counts={preview.byKind} label={MEASURE_KIND_LABEL} />
          </Descriptions.Item>
          <Descriptions.Item label="按措施类别">
            <Counts counts={preview.byCategory} />
          </Descriptions.Item>
        </>
      )}
      {kind === 'matter' && (
        <Descriptions.Item label="按实施部门">
          <Counts counts={preview.byDepartment} />
        </Descriptions.Item>
      )}
      <Descriptions.Item label="提示">{preview.warnings.length + preview.moreWarnings === 0 ? '无' : `${n(preview.warnings.length + preview.moreWarnings)} 条（见下表）`}</Descriptions.Item>
    </Descriptions>
  );
}

function doneText(s: ApplySummary): string {
  if (s.kind === 'list') {
    return `文件中 ${n(s.rows)} 条记录：写入 ${n(s.applied)} 条` + (s.ignored > 0 ? `；${n(s.ignored)} 条本机已有相同或更新的版本，未改变` : '');
  }
  return `文件中 ${n(s.rows)} 条：新增 ${n(s.added ?? 0)} 条，更新 ${n(s.updated ?? 0)} 条，未变 ${n(s.unchanged ?? 0)} 条`;
}

export function ImportPage({ actor }: { actor: Session }) {
  const app = useApp();
  const { message } = AntApp.useApp();
  const [kind, setKind] = useState<ImportKind>('list');
  const [step, setStep] = useState<Step>({ s: 'idle' });
  const job = useRef<ImportJob | null>(null);
  const applying = useRef<AbortController | null>(null);
  const allowed = sessionCan(actor, 'list.import');
  const info = IMPORT_KINDS[kind];
  const busy = step.s === 'reading' || step.s === 'applying';

  // Leaving the page stops a parse or an import that is still running (not the reorganisation after it).
  useEffect(
    () => () => {
      job.current?.cancel();
      applying.current?.abort(new DOMException('导入已取消', 'AbortError'));
    },
    [],
  );

  async function downloadTemplate() {
    try {
      const res = await fetch(TEMPLATE_URLS[kind]);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const bytes = new Uint8Array(await res.arrayBuffer());
      const r = await getClientApi().saveFile({ suggestedName: info.templateFile, bytes, filters: XLSX_FILTER });
      if (r.status === 'saved') message.success(`模板已保存为 ${r.fileName}`);
      else if (r.status === 'delegated') message.success('模板已下载');
      else if (r.status === 'failed') message.error(`保存模板失败：${r.message}`);
    } catch (e) {
      message.error(`读取模板失败：${e instanceof Error ? e.message : String(e)}`);
    }
  }

  async function pickFile() {
    const r = await getClientApi().openFile({ title: `选择要导入的${info.label}文件`, filters: XLSX_FILTER, maxBytes: DEFAULT_READER_LIMITS.maxFileBytes });
    if (r.status === 'too-large' || r.status === 'failed') {
      message.error(r.message);
      return;
    }
    if (r.status !== 'opened') return;
    const file = r.name;
    setStep({ s: 'reading', file, progress: { phase: 'check', percent: 0 } });
    const started = runImport(r.bytes, kind, {
      now: app.now(),
      ...(kind === 'measure' ? { matterIds: app.matters.map((m) => m.id) } : {}),
      onProgress: (progress) => setStep((cur) => (cur.s === 'reading' && job.current === started ? { ...cur, progress } : cur)),
    });
    job.current = started;
    try {
      const result = await started.promise;
      if (job.current !== started) return;
      setStep(result.ok ? { s: 'preview', file, result } : { s: 'refused', file, errors: result.errors, more: result.moreErrors });
    } catch (e) {
      if (job.current !== started) return;
      if (e instanceof DOMException && e.name === 'AbortError') {
        setStep({ s: 'idle' });
        message.info('已取消');
      } else {
        setStep({ s: 'idle' });
        message.error(e instanceof Error ? e.message : String(e));
      }
    } finally {
      if (job.current === started) job.current = null;
    }
  }

  function cancel() {
    job.current?.cancel();
  }

  async function confirm(file: string, result: ImportOk) {
    setStep({ s: 'applying', file, result });
    const abort = new AbortController();
    applying.current = abort;
    try {
      const summary = await applyImport(app.db, actor, result, {
        now: app.now(),
        fileName: file,
        writer: workerListWriter(app.db.name),
        signal: abort.signal,
        onProgress: (done, total) => {
          const percent = total ? Math.min(99, Math.floor((100 * done) / total)) : undefined;
          setStep((cur) => (cur.s === 'applying' && cur.result === result ? { ...cur, ...(percent === undefined ? {} : { percent }) } : cur));
        },
      });
      await app.refreshMirror();
      setStep({ s: 'done', file, summary, ...(summary.mirrorReorganised ? { reorganising: 'running' as const } : {}) });
      void summary.mirrorReorganised?.then(async (finished) => {
        await app.refreshMirror();
        setStep((cur) => (cur.s === 'done' && cur.summary === summary ? { ...cur, reorganising: finished ? 'finished' : 'deferred' } : cur));
      });
    } catch (e) {
      if (abort.signal.aborted) {
        setStep({ s: 'preview', file, result });
        message.info('已取消导入，本机数据未改变');
      } else {
        setStep({ s: 'preview', file, result });
        message.error(`导入失败，未写入任何数据：${e instanceof Error ? e.message : String(e)}`);
      }
    } finally {
      if (applying.current === abort) applying.current = null;
    }
  }

  async function copyErrors(errors: ImportIssue[], more: number) {
    const text = errors.map(formatIssue).join('\n') + (more > 0 ? `\n……另有 ${more} 处问题未列出` : '');
    try {
      await navigator.clipboard.writeText(text);
      message.success('问题清单已复制');
    } catch {
      message.error('无法复制到剪贴板');
    }
  }

  return (
    <Card title="数据导入" size="small" data-testid="import-page">
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        {!allowed && (
          <Alert type="warning" showIcon title={`当前账号（${actor.role}）无权导入`} description="可以检查文件，但只有管理员可以确认导入。" data-testid="import-not-allowed" />
        )}
        <Space wrap>
          <Segmented<ImportKind>
            value={kind}
            disabled={busy}
            onChange={(k) => {
              setKind(k);
              setStep({ s: 'idle' });
            }}
            options={IMPORT_KIND_LIST.map((k) => ({ value: k, label: IMPORT_KINDS[k].label }))}
            data-testid="import-kind"
          />
          <Button onClick={() => void downloadTemplate()} data-testid="import-template">
            下载{info.label}模板
          </Button>
          <Button type="primary" disabled={busy} onClick={() => void pickFile()} data-testid="import-pick">
            选择文件…
          </Button>
        </Space>
        <Typography.Text type="secondary">
          请使用模板填写（不超过 {Math.round(DEFAULT_READER_LIMITS.maxFileBytes / 1024 / 1024)} MB）。整个文件全部通过检查才会导入；有任何问题时不导入任何数据，并列出问题所在的工作表、行、列。
        </Typography.Text>

        {step.s === 'reading' && (
          <div data-testid="import-progress">
            <Typography.Text>
              正在{PHASE_LABEL[step.progress.phase]}：{step.file}
            </Typography.Text>
            <Progress percent={step.progress.percent} status="active" />
            <Button onClick={cancel} data-testid="import-cancel">
              取消
            </Button>
          </div>
        )}

        {step.s === 'refused' && (
          <>
            <Alert
              type="error"
              showIcon
              title={`“${step.file}”未导入：发现 ${n(step.errors.length + step.more)} 处问题`}
              description={(step.more > 0 ? `下表列出前 ${n(step.errors.length)} 处。` : '') + '请按下表修改文件后重新选择。'}
              action={
                <Button size="small" onClick={() => void copyErrors(step.errors, step.more)}>
                  复制问题清单
                </Button>
              }
              data-testid="import-refused"
            />
            <IssueTable issues={step.errors} testId="import-errors" />
          </>
        )}

        {(step.s === 'preview' || step.s === 'applying') && (
          <div data-testid="import-preview">
            <Alert type="success" showIcon title={`“${step.file}”检查通过，尚未导入`} description="请核对下列数量，确认无误后点击“确认导入”。" style={{ marginBottom: 12 }} />
            <PreviewCounts kind={step.result.kind} preview={step.result.preview} />
            {step.result.preview.warnings.length > 0 && (
              <>
                <Alert
                  type="warning"
                  showIcon
                  style={{ margin: '12px 0' }}
                  title={`${n(step.result.preview.warnings.length + step.result.preview.moreWarnings)} 条提示（不影响导入，请人工核实）`}
                />
                <IssueTable issues={step.result.preview.warnings} testId="import-warnings" />
              </>
            )}
            <Space style={{ marginTop: 12 }}>
              <Button
                type="primary"
                disabled={!allowed}
                loading={step.s === 'applying'}
                onClick={() => void confirm(step.file, step.result)}
                data-testid="import-confirm"
              >
                确认导入 {n(step.result.preview.rows)} 条
              </Button>
              {step.s === 'applying' ? (
                <Button onClick={() => applying.current?.abort(new DOMException('导入已取消', 'AbortError'))} data-testid="import-apply-cancel">
                  取消导入
                </Button>
              ) : (
                <Button onClick={() => setStep({ s: 'idle' })}>放弃</Button>
              )}
            </Space>
            {step.s === 'applying' && step.percent !== undefined && (
              <div data-testid="import-apply-progress" style={{ marginTop: 12 }}>
                <Typography.Text>正在写入名单镜像（完成前原有数据照常可查）</Typography.Text>
                <Progress percent={step.percent} status="active" />
              </div>
            )}
          </div>
        )}

        {step.s === 'done' && (
          <Result
            status="success"
            title={`${IMPORT_KINDS[step.summary.kind].label}导入完成`}
            subTitle={`${step.file}：${doneText(step.summary)}`}
            extra={<Button onClick={() => setStep({ s: 'idle' })}>继续导入</Button>}
            data-testid="import-done"
          />
        )}
        {step.s === 'done' && step.reorganising === 'running' && (
          <Alert
            type="info"
            showIcon
            title="名单镜像正在后台整理"
            description="导入的记录已写入，核查、查询和浏览照常可用，查到的就是导入后的数据（整理期间查询可能略慢）。整理把本次导入并入名单镜像的主存储，无需等待；整理中关闭程序不会丢失已导入的数据，下次启动后会重新整理。"
            data-testid="import-reorganising"
          />
        )}
        {step.s === 'done' && step.reorganising === 'finished' && (
          <Alert type="success" showIcon title="名单镜像后台整理已完成" data-testid="import-reorganised" />
        )}
        {step.s === 'done' && step.reorganising === 'deferred' && (
          <Alert
            type="warning"
            showIcon
            title="名单镜像后台整理未完成"
            description="导入的记录已写入，查询不受影响；下次启动或下次同步后会再次整理。"
            data-testid="import-reorganise-deferred"
          />
        )}
      </Space>
    </Card>
  );
}
