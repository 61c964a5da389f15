/**
 * 合成数据: fills the local mirror with N synthetic list records (fictional subjects, valid
 * codes) for training and for trying the app at a province's scale. Runs in the mirror worker
 * with a progress bar and can be cancelled; a cancelled load leaves the previous mirror as it was.
 */
import { useRef, useState } from 'react';
import { Alert, App as AntApp, Button, Card, InputNumber, Progress, Space, Typography } from 'antd';
import { chinaDate } from '../../../shared/domain/rules-config';
import { useApp } from '../../app/AppContext';
import { MetaKeys } from '../../db/meta';
import { MirrorWorkerClient } from '../../db/mirror-worker-client';
import { quotaProblem } from '../../app/storage';

interface Run {
  done: number;
  total: number;
  /** Seconds since the start, taken when the progress arrived. */
  elapsed: number;
}

export function SyntheticLoad() {
  const app = useApp();
  const { message } = AntApp.useApp();
  const [count, setCount] = useState(1_000_000);
  const [run, setRun] = useState<Run | null>(null);
  const [result, setResult] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);

  async function start() {
    const short = await quotaProblem(count);
    if (short) {
      message.error(short);
      return;
    }
    const ctl = new AbortController();
    abort.current = ctl;
    const startedAt = performance.now();
    setResult(null);
    setRun({ done: 0, total: count, elapsed: 0 });
    const client = new MirrorWorkerClient();
    try {
      const now = app.now();
      const stats = await client.loadSample(
        { seed: 20261121, subjects: Math.max(10, Math.ceil(count / 2)), records: count, today: chinaDate(now) },
        {
          signal: ctl.signal,
          onProgress: (done) => setRun({ done, total: count, elapsed: (performance.now() - startedAt) / 1000 }),
          meta: { [MetaKeys.mirrorAsOf]: now, [MetaKeys.mirrorSource]: 'sample' },
        },
      );
      const seconds = (performance.now() - startedAt) / 1000;
      setResult(`已载入 ${stats.records.toLocaleString('zh-CN')} 条，用时 ${seconds.toFixed(1)} 秒`);
      await app.refreshMirror();
    } catch (e) {
      const aborted = e instanceof Error && e.name === 'AbortError';
      if (aborted) message.info('已取消，本地名单保持原样');
      else message.error(`载入失败：${e instanceof Error ? e.message : String(e)}`);
    } finally {
      client.terminate();
      setRun(null);
      abort.current = null;
    }
  }

  const rate = run && run.elapsed > 0 ? run.done / run.elapsed : 0;
  const remaining = run && rate > 0 ? (run.total - run.done) / rate : null;

  return (
    <Card size="small" title="合成数据（培训、压力测试）" data-testid="synthetic-load" style={{ maxWidth: 720, marginTop: 16 }}>
      <Typography.Paragraph type="secondary">
        以虚构主体生成名单记录并替换本地镜像（不影响核查记录等本地记录）。联网后同步会以平台数据重建镜像。
      </Typography.Paragraph>
      <Space wrap>
        <InputNumber min={1_000} max={5_000_000} step={100_000} value={count} onChange={(v) => setCount(v ?? 1_000_000)} disabled={run !== null} data-testid="synthetic-count" />
        <span>条</span>
        {run ? (
          <Button danger onClick={() => abort.current?.abort()} data-testid="synthetic-cancel">
            取消
          </Button>
        ) : (
          <Button type="primary" onClick={() => void start()} data-testid="synthetic-start">
            生成并载入
          </Button>
        )}
      </Space>
      {run && (
        <div data-testid="synthetic-progress">
          <Progress percent={Math.floor((run.done / run.total) * 100)} />
          <Typography.Text type="secondary">
            {run.done.toLocaleString('zh-CN')} / {run.total.toLocaleString('zh-CN')} 条 · {Math.round(rate).toLocaleString('zh-CN')} 条/秒
            {remaining !== null && ` · 预计还需 ${Math.ceil(remaining)} 秒`}
          </Typography.Text>
        </div>
      )}
      {result && <Alert type="success" showIcon title={result} data-testid="synthetic-result" style={{ marginTop: 8 }} />}
    </Card>
  );
}
