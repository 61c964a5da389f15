/**
 * 应查必查: pick the matter and subject type, enter the identifier, see the verdict, decide
 * every suggested measure, save. Every rule comes from shared/domain; this screen only asks
 * and shows.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Form, Input, Segmented, Select, Space, Typography } from 'antd';
import type { InputRef } from 'antd';
import { SubjectType } from '../../../shared/domain/schemas';
import type { MeasureDecision, SubjectType as SubjectTypeT } from '../../../shared/domain/schemas';
import { missingDecisions } from '../../../shared/domain/verdict';
import { useApp } from '../../app/AppContext';
import { MetaKeys, readMeta, writeMeta } from '../../db/meta';
import { z } from 'zod';
import { readIdentifier, runCheck, saveCheckResult, type CheckResult } from './check-flow';
import { VerdictView } from './VerdictView';
import { PrintDialog } from './PrintDialog';

export function CheckPage() {
  const app = useApp();
  const { message } = AntApp.useApp();
  const [matterId, setMatterId] = useState<string | undefined>();
  const [subjectType, setSubjectType] = useState<SubjectTypeT>('法人');
  const [raw, setRaw] = useState('');
  const [inputError, setInputError] = useState<string | null>(null);
  const [result, setResult] = useState<CheckResult | null>(null);
  const [decisions, setDecisions] = useState<Record<string, MeasureDecision>>({});
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [printing, setPrinting] = useState(false);
  const idRef = useRef<InputRef>(null);

  // The matter is remembered per workstation: a clerk handles one matter most of the day.
  useEffect(() => {
    void readMeta(app.db, MetaKeys.lastMatter, z.string()).then((m) => {
      if (m && app.matters.some((x) => x.id === m)) setMatterId(m);
    });
  }, [app.db, app.matters]);

  const matter = app.matters.find((m) => m.id === matterId);
  const matterOptions = useMemo(
    () => app.matters.map((m) => ({ value: m.id, label: `${m.name}（${m.department}）` })),
    [app.matters],
  );

  async function onCheck() {
    setSaved(null);
    setProblems({});
    if (!matter) {
      setInputError('请先选择审批事项');
      return;
    }
    const id = readIdentifier(subjectType, raw);
    if (id.status === 'invalid') {
      setInputError(id.reason ?? '证件号码无效');
      setResult(null);
      return;
    }
    setInputError(null);
    setRaw(id.normalized);
    setBusy(true);
    try {
      const r = await runCheck(app, { matter, subjectType, identifier: id.normalized, legacyWarning: id.status === 'legacy' ? id.reason : undefined });
      setResult(r);
      setDecisions({});
    } finally {
      setBusy(false);
    }
  }

  async function onSave() {
    if (!result) return;
    const list = Object.values(decisions);
    const missing = missingDecisions(result.verdict, list);
    if (missing.length > 0) {
      setProblems(Object.fromEntries(missing.map((m) => [m.measureId, m.problem])));
      message.error(`还有 ${missing.length} 项措施未处理，不能保存`);
      return;
    }
    setBusy(true);
    try {
      const checkId = await saveCheckResult(app, result, list);
      await app.refreshMirror();
      setSaved(checkId);
      message.success('核查记录已保存，并已加入待上报队列');
    } catch (e) {
      message.error(`保存失败：${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setBusy(false);
    }
  }

  // Keyboard-first: Ctrl+Enter saves, Esc starts the next applicant, wherever the focus is.
  const keys = useRef<(e: KeyboardEvent) => void>(() => undefined);
  useEffect(() => {
    keys.current = (e: KeyboardEvent) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && result && !saved) {
        e.preventDefault();
        void onSave();
      } else if (e.key.toLowerCase() === 'p' && (e.ctrlKey || e.metaKey) && saved) {
        e.preventDefault();
        setPrinting(true);
      } else if (e.key === 'Escape' && saved && !printing) {
        e.preventDefault();
        newCheck();
      }
    };
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => keys.current(e);
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  function newCheck() {
    setResult(null);
    setRaw('');
    setSaved(null);
    setDecisions({});
    setProblems({});
    idRef.current?.focus();
  }

  return (
    <div className="check-page">
      <Card title="应查必查 · 信用核查" size="small">
        <Form layout="vertical" onFinish={() => void onCheck()}>
          <Space wrap align="start" size="middle">
            <Form.Item label="审批事项" required style={{ minWidth: 360 }}>
              <Select
                data-testid="matter-select"
                showSearch={{ optionFilterProp: 'label' }}
                placeholder="输入事项名称搜索"
                options={matterOptions}
                value={matterId}
                onChange={(v: string) => {
                  setMatterId(v);
                  void writeMeta(app.db, MetaKeys.lastMatter, v);
                }}
                style={{ width: 420 }}
              />
            </Form.Item>
            <Form.Item label="主体类型" required>
              <Segmented
                data-testid="subject-type"
                options={SubjectType.options}
                value={subjectType}
                onChange={(v) => setSubjectType(v as SubjectTypeT)}
              />
            </Form.Item>
          </Space>
          <Form.Item
            label={subjectType === '自然人' ? '公民身份号码' : '统一社会信用代码'}
            required
            validateStatus={inputError ? 'error' : undefined}
            help={inputError ?? '可直接粘贴或扫码；自动去除空格、分隔符，识别全角字符'}
          >
            <Space.Compact style={{ width: '100%', maxWidth: 640 }}>
              <Input
                ref={idRef}
                data-testid="identifier-input"
                value={raw}
                autoFocus
                allowClear
                onChange={(e) => setRaw(e.target.value)}
                placeholder={subjectType === '自然人' ? '18 位公民身份号码' : '18 位统一社会信用代码'}
                style={{ fontFamily: 'monospace', fontSize: '1.1em' }}
              />
              <Button type="primary" htmlType="submit" loading={busy} data-testid="check-button">
                查询（Enter）
              </Button>
            </Space.Compact>
          </Form.Item>
        </Form>
      </Card>

      {result && (
        <VerdictView
          result={result}
          decisions={decisions}
          problems={problems}
          readOnly={saved !== null}
          onDecision={(d) => {
            setDecisions((prev) => ({ ...prev, [d.measureId]: d }));
            setProblems((prev) => {
              const { [d.measureId]: _gone, ...rest } = prev;
              return rest;
            });
          }}
        />
      )}

      {result && (
        <Card size="small" className="save-bar">
          {saved ? (
            <Space>
              <Alert type="success" showIcon title={`已保存核查记录 ${saved.slice(0, 8)}…，待上报`} data-testid="saved-alert" />
              <Button onClick={() => setPrinting(true)} data-testid="print-check">
                打印核查记录单（Ctrl+P）
              </Button>
              <Button onClick={newCheck} data-testid="new-check">下一位（Esc）</Button>
            </Space>
          ) : (
            <Space>
              <Button type="primary" onClick={() => void onSave()} loading={busy} data-testid="save-check">
                保存核查记录（Ctrl+Enter）
              </Button>
              <Typography.Text type="secondary">
                每项建议措施须选择“执行”或“不执行”；不执行须填写理由。
              </Typography.Text>
            </Space>
          )}
        </Card>
      )}
      {result && saved && (
        <PrintDialog
          open={printing}
          onClose={() => setPrinting(false)}
          print={{
            result,
            decisions: Object.values(decisions),
            checkId: saved,
            clerk: app.settings.clerk,
            district: app.settings.district,
            mirrorAsOf: app.mirror.asOf,
          }}
        />
      )}
    </div>
  );
}
