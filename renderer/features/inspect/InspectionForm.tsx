/**
 * 现场检查记录: what the inspector found on site, with photos and documents, and optionally a
 * report of dishonest behaviour (发起) for the platform to decide. Works with no network: the
 * record, its files and its outbox entry are saved together on this laptop.
 */
import { useEffect, useRef, useState } from 'react';
import { Alert, App as AntApp, Button, Checkbox, Descriptions, Drawer, Form, Input, Space, Typography } from 'antd';
import { PermissionDenied, can } from '../../../shared/domain/accounts';
import { shieldIdentifier } from '../../../shared/domain/identifiers';
import { frequencyText } from '../../../shared/domain/supervision';
import type { InspectionFinding } from '../../../shared/domain/schemas';
import { recordState } from '../../../shared/domain/verdict';
import { chinaDate } from '../../../shared/domain/rules-config';
import { useApp } from '../../app/AppContext';
import { formatMoment } from '../../app/format';
import { ATTACHMENT_LIMITS, AttachmentRefused, attachmentProblem, formatSize, saveInspection, type InspectionFile, type SupervisedSubject } from '../../db/inspections';
import { colourTag } from '../check/labels';
import { FileTiles, pickInspectionFile, shownFromPicked, type ShownFile } from './files';
import { CLASS_REASON, classTag } from './labels';

interface Props {
  subject: SupervisedSubject;
  onClose: () => void;
  onSaved: (finding: InspectionFinding) => void;
}

const MAX_FINDINGS = 4000;
const MAX_BEHAVIOUR = 1000;
const MAX_EVIDENCE = 2000;

export function InspectionForm({ subject, onClose, onSaved }: Props) {
  const app = useApp();
  const { message } = AntApp.useApp();
  const [name, setName] = useState(subject.name);
  const [findings, setFindings] = useState('');
  const [files, setFiles] = useState<ShownFile[]>([]);
  const [initiate, setInitiate] = useState(false);
  const [behaviour, setBehaviour] = useState('');
  const [evidence, setEvidence] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [fileError, setFileError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const nextKey = useRef(0);
  const allowed = can(app.actor.role, 'inspection.perform');
  const today = chinaDate(app.now());
  const total = files.reduce((n, f) => n + f.size, 0);
  /** Typing into a field clears what was said about it. */
  const edit = (field: string, set: (v: string) => void) => (v: string) => {
    set(v);
    if (errors[field]) setErrors(({ [field]: _gone, ...rest }) => rest);
  };

  async function addFile() {
    setFileError(null);
    const picked = await pickInspectionFile();
    if (picked.status === 'cancelled') return;
    if (picked.status === 'refused') {
      setFileError(picked.message);
      return;
    }
    const problem = attachmentProblem(picked.file, files.map((f) => ({ name: f.name, bytes: f.bytes })));
    if (problem !== null) {
      setFileError(problem);
      return;
    }
    setFiles([...files, shownFromPicked(picked.file, `f${nextKey.current++}`)]);
  }

  async function save() {
    const e: Record<string, string> = {};
    if (!name.trim()) e.name = '请填写被检查主体的名称';
    if (!findings.trim()) e.findings = '请写明检查情况和发现的问题；未发现问题也请写明';
    if (initiate && !behaviour.trim()) e.behaviour = '请写明发现的失信行为';
    if (initiate && !evidence.trim()) e.evidence = '请说明证据，如所附照片、询问笔录等';
    setErrors(e);
    if (Object.keys(e).length > 0) return;
    setBusy(true);
    try {
      const chosen: InspectionFile[] = files.map((f) => ({ name: f.name, bytes: f.bytes }));
      const saved = await saveInspection(
        app.db,
        app.actor,
        {
          id: crypto.randomUUID(),
          identifier: subject.identifier,
          subjectName: name.trim(),
          at: app.now(),
          supervisionClass: subject.supervisionClass,
          findings: findings.trim(),
          ...(initiate ? { initiate: { behaviour: behaviour.trim(), evidence: evidence.trim() } } : {}),
        },
        chosen,
      );
      await app.refreshMirror();
      message.success(initiate ? '检查记录和失信行为报告已保存，待上报信用平台' : '检查记录已保存，待上报信用平台');
      onSaved(saved);
    } catch (err) {
      const text = err instanceof AttachmentRefused || err instanceof PermissionDenied ? err.message : `保存失败：${err instanceof Error ? err.message : String(err)}`;
      setFileError(err instanceof AttachmentRefused ? err.message : null);
      message.error(text);
    } finally {
      setBusy(false);
    }
  }

  // Ctrl+Enter saves, as on the counter screen.
  const saveRef = useRef(save);
  useEffect(() => {
    saveRef.current = save;
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Enter' && e.ctrlKey) {
        e.preventDefault();
        void saveRef.current();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const active = subject.records.filter((r) => recordState(r, today) === 'active');
  return (
    <Drawer
      open
      size="large"
      onClose={onClose}
      title={`现场检查记录 · ${subject.name || shieldIdentifier(subject.type, subject.identifier)}`}
      data-testid="inspection-form"
      footer={
        <Space>
          <Button type="primary" onClick={() => void save()} loading={busy} disabled={!allowed} data-testid="inspection-save" title="Ctrl+Enter">
            保存检查记录
          </Button>
          <Button onClick={onClose}>取消</Button>
          <Typography.Text type="secondary">不需要网络：保存在本机，联网后自动上报。</Typography.Text>
        </Space>
      }
    >
      {!allowed && <Alert type="error" showIcon title={`当前账号（${app.actor.role}）无权录入现场检查`} style={{ marginBottom: 12 }} />}
      <Descriptions column={1} bordered size="small" styles={{ label: { width: 120, whiteSpace: 'nowrap' } }} style={{ marginBottom: 16 }}>
        <Descriptions.Item label="代码">{shieldIdentifier(subject.type, subject.identifier)}</Descriptions.Item>
        <Descriptions.Item label="主体类型">{subject.type}</Descriptions.Item>
        {subject.district && <Descriptions.Item label="登记地区">{subject.district}</Descriptions.Item>}
        <Descriptions.Item label="监管类别">
          <span data-testid="form-class">{classTag(subject.supervisionClass)}</span>
          <Typography.Text type="secondary">{CLASS_REASON[subject.supervisionClass]}（由本地名单推定）</Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label="建议检查频次">{frequencyText(subject.perYear)}</Descriptions.Item>
        <Descriptions.Item label="有效名单记录">
          {active.length === 0
            ? '无'
            : active.map((r) => (
                <div key={r.id}>
                  {colourTag(r.colour)} {r.listType}（{r.deptName}，{r.severity}）
                </div>
              ))}
        </Descriptions.Item>
        <Descriptions.Item label="检查时间">{formatMoment(app.now())}</Descriptions.Item>
        <Descriptions.Item label="检查人员">{app.actor.name}</Descriptions.Item>
      </Descriptions>

      <Form layout="vertical" onSubmitCapture={(e) => e.preventDefault()}>
        {!subject.name && (
          <Form.Item label="被检查主体名称" htmlFor="inspect-name" required validateStatus={errors.name ? 'error' : undefined} help={errors.name ?? '本地名单中没有该主体的记录，请填写名称'}>
            <Input id="inspect-name" value={name} maxLength={200} onChange={(e) => edit('name', setName)(e.target.value)} data-testid="inspection-name" />
          </Form.Item>
        )}
        <Form.Item label="检查情况和发现的问题" htmlFor="inspect-findings" required validateStatus={errors.findings ? 'error' : undefined} help={errors.findings}>
          <Input.TextArea
            id="inspect-findings"
            rows={5}
            value={findings}
            maxLength={MAX_FINDINGS}
            showCount
            onChange={(e) => edit('findings', setFindings)(e.target.value)}
            data-testid="inspection-findings"
          />
        </Form.Item>
        <Form.Item
          label={`现场照片和检查文书（JPG、PNG 或 PDF；最多 ${ATTACHMENT_LIMITS.maxFiles} 个，每个不超过 ${formatSize(ATTACHMENT_LIMITS.maxFileBytes)}，合计不超过 ${formatSize(ATTACHMENT_LIMITS.maxTotalBytes)}）`}
          htmlFor="inspect-add-file"
          validateStatus={fileError ? 'error' : undefined}
          help={fileError ?? (files.length > 0 ? `已附 ${files.length} 个，共 ${formatSize(total)}` : undefined)}
        >
          <Button id="inspect-add-file" onClick={() => void addFile()} disabled={files.length >= ATTACHMENT_LIMITS.maxFiles} data-testid="inspection-add-file">
            添加照片或文书…
          </Button>
          <FileTiles files={files} onRemove={(key) => setFiles(files.filter((f) => f.key !== key))} testId="inspection-files" />
        </Form.Item>
        <Form.Item>
          <Checkbox id="inspect-initiate" checked={initiate} onChange={(e) => setInitiate(e.target.checked)} data-testid="inspection-initiate">
            发起失信行为报告（报信用平台认定，本机不作认定）
          </Checkbox>
        </Form.Item>
        {initiate && (
          <>
            <Form.Item label="发现的失信行为" htmlFor="inspect-behaviour" required validateStatus={errors.behaviour ? 'error' : undefined} help={errors.behaviour}>
              <Input.TextArea
                id="inspect-behaviour"
                rows={3}
                value={behaviour}
                maxLength={MAX_BEHAVIOUR}
                showCount
                onChange={(e) => edit('behaviour', setBehaviour)(e.target.value)}
                data-testid="inspection-behaviour"
              />
            </Form.Item>
            <Form.Item label="证据说明" htmlFor="inspect-evidence" required validateStatus={errors.evidence ? 'error' : undefined} help={errors.evidence}>
              <Input.TextArea
                id="inspect-evidence"
                rows={3}
                value={evidence}
                maxLength={MAX_EVIDENCE}
                showCount
                onChange={(e) => edit('evidence', setEvidence)(e.target.value)}
                data-testid="inspection-evidence"
              />
            </Form.Item>
          </>
        )}
      </Form>
    </Drawer>
  );
}
