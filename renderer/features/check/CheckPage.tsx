/**
 * 应查必查: pick the matter and subject type, enter the identifier, see the verdict, decide
 * every suggested measure, offer 容缺受理 when the verdict allows it, save, print. Every rule
 * comes from shared/domain; this screen only asks and shows.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Form, Input, Segmented, Select, Space, Typography } from 'antd';
import type { InputRef } from 'antd';
import { z } from 'zod';
import { SubjectType } from '../../../shared/domain/schemas';
import type { MeasureDecision, SubjectType as SubjectTypeT } from '../../../shared/domain/schemas';
import { missingDecisions } from '../../../shared/domain/verdict';
import { validateCommitmentDeadline } from '../../../shared/domain/commitments';
import { useApp } from '../../app/AppContext';
import { MetaKeys, readMeta, writeMeta } from '../../db/meta';
import { PrintDialog } from '../print/PrintDialog';
import { TemplateDoc } from '../print/TemplateDoc';
import { readIdentifier, rulesOf, runCheck, saveCheckResult, templateValues, type CheckResult, type SavedCheck } from './check-flow';
import { FastTrackPanel, NO_FAST_TRACK, type FastTrackChoice } from './FastTrackPanel';
import { PrintRecord } from './PrintRecord';
import { VerdictView } from './VerdictView';
import commitmentTemplate from '../../../resources/templates/commitment-letter.txt?raw';
import noticeTemplate from '../../../resources/templates/fast-track-notice.txt?raw';

type PrintDoc = 'record' | 'commitment' | 'notice';

export function CheckPage() {
  const app = useApp();
  const { message } = AntApp.useApp();
  const [matterId, setMatterId] = useState<string | undefined>();
  const [subjectType, setSubjectType] = useState<SubjectTypeT>('法人');
  const [raw, setRaw] = useState('');
  const [typedName, setTypedName] = useState('');
  const [inputError, setInputError] = useState<string | null>(null);
  const [result, setResult] = useState<CheckResult | null>(null);
  const [decisions, setDecisions] = useState<Record<string, MeasureDecision>>({});
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [fastTrack, setFastTrack] = useState<FastTrackChoice>(NO_FAST_TRACK);
  const [fastTrackError, setFastTrackError] = useState<string | null>(null);
  const [saved, setSaved] = useState<SavedCheck | null>(null);
  const [busy, setBusy] = useState(false);
  const [printing, setPrinting] = useState<PrintDoc | null>(null);
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
      const r = await runCheck(app, {
        matter,
        subjectType,
        identifier: id.normalized,
        typedName: typedName.trim() || undefined,
        legacyWarning: id.status === 'legacy' ? id.reason : undefined,
      });
      setResult(r);
      setDecisions({});
      setFastTrack(NO_FAST_TRACK);
      setFastTrackError(null);
    } finally {
      setBusy(false);
    }
  }

  function fastTrackProblem(r: CheckResult): string | null {
    if (!fastTrack.fastTrack) return null;
    if (fastTrack.materials.length === 0) return '请勾选暂缺的次要材料';
    if (!fastTrack.deadline) return '请选择补齐期限';
    return validateCommitmentDeadline(r.matter, r.at, fastTrack.deadline, rulesOf(app));
  }

  async function onSave() {
    if (!result || saved) return;
    const list = Object.values(decisions);
    const missing = missingDecisions(result.verdict, list);
    const ftProblem = fastTrackProblem(result);
    setProblems(Object.fromEntries(missing.map((m) => [m.measureId, m.problem])));
    setFastTrackError(ftProblem);
    if (missing.length > 0 || ftProblem) {
      message.error(missing.length > 0 ? `还有 ${missing.length} 项措施未处理，不能保存` : ftProblem);
      return;
    }
    setBusy(true);
    try {
      const s = await saveCheckResult(app, result, list, fastTrack);
      await app.refreshMirror();
      setSaved(s);
      message.success('核查记录已保存，并已加入待上报队列');
    } catch (e) {
      message.error(`保存失败：${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setBusy(false);
    }
  }

  function newCheck() {
    setResult(null);
    setRaw('');
    setTypedName('');
    setSaved(null);
    setDecisions({});
    setProblems({});
    setFastTrack(NO_FAST_TRACK);
    setFastTrackError(null);
    idRef.current?.focus();
  }

  // Keyboard-first: Ctrl+Enter saves, Ctrl+P prints, Esc starts the next applicant.
  const keys = useRef<(e: KeyboardEvent) => void>(() => undefined);
  useEffect(() => {
    keys.current = (e: KeyboardEvent) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && result && !saved) {
        e.preventDefault();
        void onSave();
      } else if (e.key.toLowerCase() === 'p' && (e.ctrlKey || e.metaKey) && saved) {
        e.preventDefault();
        setPrinting('record');
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
            help={<span data-testid="identifier-help">{inputError ?? '可直接粘贴或扫码；自动去除空格、分隔符，识别全角字符'}</span>}
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
          <Form.Item label="主体名称（选填：本地名单无此主体时，用于记录单和承诺书）" style={{ maxWidth: 640 }}>
            <Input
              data-testid="subject-name-input"
              value={typedName}
              onChange={(e) => setTypedName(e.target.value)}
              placeholder="申请人名称"
            />
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
        <FastTrackPanel
          verdict={result.verdict.fastTrack}
          matter={result.matter}
          at={result.at}
          rules={rulesOf(app)}
          value={fastTrack}
          onChange={(v) => {
            setFastTrack(v);
            setFastTrackError(null);
          }}
          error={fastTrackError}
          readOnly={saved !== null}
        />
      )}

      {result && (
        <Card size="small" className="save-bar">
          {saved ? (
            <Space wrap>
              <Alert type="success" showIcon title={`已保存核查记录 ${saved.check.id.slice(0, 8)}…，待上报`} data-testid="saved-alert" />
              <Button onClick={() => setPrinting('record')} data-testid="print-check">
                打印核查记录单（Ctrl+P）
              </Button>
              {saved.commitment && (
                <>
                  <Button onClick={() => setPrinting('commitment')} data-testid="print-commitment">
                    打印信用承诺书
                  </Button>
                  <Button onClick={() => setPrinting('notice')} data-testid="print-notice">
                    打印容缺受理通知书
                  </Button>
                </>
              )}
              <Button onClick={newCheck} data-testid="new-check">
                下一位（Esc）
              </Button>
            </Space>
          ) : (
            <Space>
              <Button type="primary" onClick={() => void onSave()} loading={busy} data-testid="save-check">
                保存核查记录（Ctrl+Enter）
              </Button>
              <Typography.Text type="secondary">每项建议措施须选择“执行”或“不执行”；不执行须填写理由。</Typography.Text>
            </Space>
          )}
        </Card>
      )}

      {result && saved && (
        <PrintDialog
          open={printing !== null}
          onClose={() => setPrinting(null)}
          title={printing === 'commitment' ? '信用承诺书' : printing === 'notice' ? '容缺受理通知书' : '信用核查记录单'}
          fileName={`${printing === 'commitment' ? '信用承诺书' : printing === 'notice' ? '容缺受理通知书' : '核查记录单'}-${saved.check.id.slice(0, 8)}.pdf`}
        >
          {printing === 'record' && (
            <PrintRecord p={saved.printable} />
          )}
          {printing === 'commitment' && saved.commitment && (
            <TemplateDoc template={commitmentTemplate} values={templateValues(result, saved)} />
          )}
          {printing === 'notice' && saved.commitment && (
            <TemplateDoc template={noticeTemplate} values={templateValues(result, saved)} />
          )}
        </PrintDialog>
      )}
    </div>
  );
}
