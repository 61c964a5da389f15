/**
 * 辖区主体: the subjects whose list records are registered in the inspector's area, with their
 * supervision class and the suggested frequency, read from the mirror batch by batch as the
 * inspector asks for more (the mirror may hold a million records); and any subject by its code.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Button, Form, Input, Segmented, Space, Spin, Typography } from 'antd';
import { columnSizingFeature, createColumnHelper, createSortedRowModel, rowSortingFeature, sortFn_basic, tableFeatures, useTable } from '@tanstack/react-table';
import { normalizeIdentifierInput, shieldIdentifier, validateIdNumber, validateOrgCode, validateUscc } from '../../../shared/domain/identifiers';
import type { SupervisionClass } from '../../../shared/domain/schemas';
import { chinaDate } from '../../../shared/domain/rules-config';
import { frequencyText } from '../../../shared/domain/supervision';
import { useApp } from '../../app/AppContext';
import { describeSubject, subjectsInArea, type SupervisedSubject } from '../../db/inspections';
import { MirrorChangedError, type BrowseCursor } from '../../db/mirror-store';
import { DataTable } from './DataTable';
import { classTag } from './labels';

const features = tableFeatures({ columnSizingFeature, rowSortingFeature, sortedRowModel: createSortedRowModel(), sortFns: { basic: sortFn_basic } });
const helper = createColumnHelper<typeof features, SupervisedSubject>();

const CLASS_RANK: Record<SupervisionClass, number> = { 重点监管: 0, 一般: 1, 信用良好: 2 };
type ClassFilter = 'all' | SupervisionClass;

/** Subjects wanted per press of 载入更多, and how much of the mirror one press may read. */
const WANT = 50;
const READ_PER_PRESS = 100_000;
const READ_PER_CALL = 20_000;

interface Props {
  onInspect: (s: SupervisedSubject) => void;
  /** A subject just inspected: its row is brought up to date. */
  changed: { identifier: string; nonce: number } | null;
  allowed: boolean;
}

export function SubjectList({ onInspect, changed, allowed }: Props) {
  const app = useApp();
  const { db } = app;
  const config = app.settings.inspection;
  const today = chinaDate(app.now());
  const [areaDraft, setAreaDraft] = useState(app.actor.district);
  const [area, setArea] = useState(app.actor.district);
  const [subjects, setSubjects] = useState<SupervisedSubject[]>([]);
  const [next, setNext] = useState<BrowseCursor | null>(null);
  const [started, setStarted] = useState(false);
  const [read, setRead] = useState(0);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [classFilter, setClassFilter] = useState<ClassFilter>('all');
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState<string | null>(null);
  const generation = useRef(0);
  /** Bumped to read the area again from the start (the mirror was replaced meanwhile). */
  const [epoch, setEpoch] = useState(0);

  /** Reads on from `from` until WANT new subjects or READ_PER_PRESS records of the mirror. */
  const readOn = useCallback(
    async (from: BrowseCursor | null, known: readonly SupervisedSubject[]) => {
      const skip = new Set(known.map((s) => s.identifier));
      const found: SupervisedSubject[] = [];
      let after = from;
      let scanned = 0;
      while (found.length < WANT && scanned < READ_PER_PRESS) {
        const page = await subjectsInArea(db, { area, today, config, after, skip, limit: WANT - found.length, scanLimit: READ_PER_CALL });
        for (const s of page.subjects) skip.add(s.identifier);
        found.push(...page.subjects);
        scanned += page.scanned;
        after = page.next;
        if (!page.next) break;
      }
      return { subjects: [...known, ...found], next: after, scanned };
    },
    [db, area, today, config],
  );

  /** Runs a read; a newer read (another area, a restart) makes an older one's answer moot. */
  const run = useCallback(
    async (read: () => Promise<{ subjects: SupervisedSubject[]; next: BrowseCursor | null; scanned: number }>, reset: boolean) => {
      const gen = reset ? ++generation.current : generation.current;
      setLoading(true);
      setError(null);
      try {
        const r = await read();
        if (gen !== generation.current) return;
        setSubjects(r.subjects);
        setNext(r.next);
        setRead((n) => (reset ? r.scanned : n + r.scanned));
        setStarted(true);
      } catch (e) {
        if (gen !== generation.current) return;
        // A sync replaced the mirror under the cursor: read the new one from the start.
        if (e instanceof MirrorChangedError) setEpoch((n) => n + 1);
        else setError(e instanceof Error ? e.message : String(e));
      } finally {
        if (gen === generation.current) setLoading(false);
      }
    },
    [],
  );

  // A new area (or settings, or a replaced mirror) starts from the top of the mirror.
  useEffect(() => {
    const timer = setTimeout(() => void run(() => readOn(null, []), true), 0);
    return () => clearTimeout(timer);
  }, [run, readOn, epoch]);

  // After an inspection: that subject's last and next inspection change.
  useEffect(() => {
    if (!changed) return;
    let live = true;
    void describeSubject(db, changed.identifier, { today, config }).then((fresh) => {
      if (live) setSubjects((list) => list.map((s) => (s.identifier === fresh.identifier ? { ...fresh, name: s.name || fresh.name } : s)));
    });
    return () => {
      live = false;
    };
  }, [changed, db, today, config]);

  async function lookUp(text: string) {
    const id = normalizeIdentifierInput(text);
    setCode(id);
    if (!id) {
      setCodeError('请输入统一社会信用代码、组织机构代码或公民身份号码');
      return;
    }
    const valid = [validateUscc(id), validateIdNumber(id), validateOrgCode(id)].find((r) => r.status !== 'invalid');
    if (!valid) {
      const reason = (id.length === 18 && /^\d{17}[\dX]$/.test(id) ? validateIdNumber(id) : validateUscc(id)).reason;
      setCodeError(`代码无效：${reason ?? '请核对后重新输入'}`);
      return;
    }
    setCodeError(null);
    onInspect(await describeSubject(db, valid.normalized, { today, config }));
  }

  const shown = useMemo(() => (classFilter === 'all' ? subjects : subjects.filter((s) => s.supervisionClass === classFilter)), [subjects, classFilter]);
  const counts = useMemo(() => {
    const c: Record<SupervisionClass, number> = { 重点监管: 0, 一般: 0, 信用良好: 0 };
    for (const s of subjects) c[s.supervisionClass]++;
    return c;
  }, [subjects]);

  const columns = useMemo(
    () =>
      helper.columns([
        helper.accessor((s) => CLASS_RANK[s.supervisionClass], { id: 'class', header: '监管类别', size: 105, sortFn: 'basic', cell: (c) => classTag(c.row.original.supervisionClass) }),
        helper.accessor('name', { header: '主体名称', enableSorting: false }),
        helper.display({ id: 'code', header: '代码', size: 215, cell: (c) => shieldIdentifier(c.row.original.type, c.row.original.identifier) }),
        helper.accessor('district', { header: '登记地区', size: 100, enableSorting: false }),
        helper.display({ id: 'freq', header: '建议频次', size: 110, cell: (c) => frequencyText(c.row.original.perYear) }),
        helper.display({ id: 'last', header: '上次检查', size: 120, cell: (c) => c.row.original.lastInspected ?? '本机无记录' }),
        helper.accessor((s) => s.next.due, {
          id: 'due',
          header: '建议下次检查',
          size: 150,
          sortFn: 'basic',
          cell: (c) => {
            const s = c.row.original;
            if (s.lastInspected === undefined) return '尽快安排';
            if (s.next.overdueDays > 0) return <span className="inspect-overdue">{`${s.next.due}（已超 ${s.next.overdueDays} 天）`}</span>;
            return s.next.due;
          },
        }),
        helper.display({
          id: 'act',
          header: () => <span className="sr-only">操作</span>,
          size: 110,
          cell: (c) => (
            <Button
              size="small"
              type="primary"
              ghost
              disabled={!allowed}
              onClick={(e) => {
                e.stopPropagation();
                onInspect(c.row.original);
              }}
              data-testid="inspect-subject"
              aria-label={`录入检查：${c.row.original.name}`}
            >
              录入检查
            </Button>
          ),
        }),
      ]),
    [allowed, onInspect],
  );
  const table = useTable({ features, columns, data: shown, getRowId: (s) => s.identifier, initialState: { sorting: [] } });

  return (
    <div data-testid="inspect-subjects">
      <Form layout="inline" style={{ marginBottom: 12, rowGap: 8 }} onSubmitCapture={(e) => e.preventDefault()}>
        <Form.Item label="按代码查找主体" htmlFor="inspect-code" validateStatus={codeError ? 'error' : undefined} help={codeError}>
          <Input.Search
            id="inspect-code"
            allowClear
            enterButton="查找并录入"
            placeholder="统一社会信用代码或公民身份号码"
            value={code}
            onChange={(e) => setCode(e.target.value)}
            onSearch={(v) => void lookUp(v)}
            style={{ width: 420 }}
            data-testid="inspect-code"
          />
        </Form.Item>
        <Form.Item label="辖区" htmlFor="inspect-area">
          <Input.Search
            id="inspect-area"
            enterButton="列出"
            placeholder="区县名称，如 兰山区；留空为全部"
            value={areaDraft}
            onChange={(e) => setAreaDraft(e.target.value)}
            onSearch={(v) => setArea(v.trim())}
            style={{ width: 320 }}
            data-testid="inspect-area"
          />
        </Form.Item>
      </Form>
      <Space style={{ marginBottom: 8 }} wrap>
        <Segmented<ClassFilter>
          value={classFilter}
          onChange={setClassFilter}
          aria-label="按监管类别筛选"
          options={[
            { value: 'all', label: `全部（${subjects.length}）` },
            { value: '重点监管', label: `重点监管（${counts.重点监管}）` },
            { value: '一般', label: `一般（${counts.一般}）` },
            { value: '信用良好', label: `信用良好（${counts.信用良好}）` },
          ]}
          data-testid="inspect-class-filter"
        />
        {loading && <Spin size="small" />}
      </Space>
      {error && <Alert type="error" showIcon title="读取名单失败" description={error} style={{ marginBottom: 8 }} />}
      <Typography.Paragraph type="secondary" data-testid="inspect-subject-count">
        {`${area ? `登记在“${area}”` : '全部地区'}的名单主体：已列出 ${subjects.length} 个（已读取名单记录 ${read.toLocaleString('zh-CN')} 条${next ? '，未读完' : '，已读完'}）。监管类别由本地名单推定；建议频次见“检查频次设置”。`}
      </Typography.Paragraph>
      <DataTable
        testId="inspect-subject-table"
        fill={['name']}
        caption="辖区主体及其监管类别"
        headers={(table.getHeaderGroups()[0]?.headers ?? []).map((h) => ({
          id: h.id,
          header: <table.FlexRender header={h} />,
          width: h.column.columnDef.size,
          sort: h.column.getCanSort() ? h.column.getIsSorted() : undefined,
          onSort: h.column.getCanSort() ? h.column.getToggleSortingHandler() : undefined,
        }))}
        rows={table.getRowModel().rows.map((r) => ({
          id: r.id,
          original: r.original,
          cells: r.getAllCells().map((c) => ({ id: c.id, node: <table.FlexRender cell={c} /> })),
        }))}
        onOpen={allowed ? onInspect : undefined}
        empty={
          !started || loading
            ? '正在读取本地名单…'
            : area
              ? `本地名单中没有登记在“${area}”的主体。请在“辖区”中填写区县名称（如 兰山区），或用代码查找。`
              : '本地名单为空'
        }
      />
      {next && (
        <Button style={{ marginTop: 12 }} onClick={() => void run(() => readOn(next, subjects), false)} loading={loading} data-testid="inspect-more">
          载入更多
        </Button>
      )}
    </div>
  );
}
