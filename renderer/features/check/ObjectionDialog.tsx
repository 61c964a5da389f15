/**
 * 异议登记 (002 三.2, 004 §20): the applicant disputes a list record at the counter. The
 * objection goes to the platform; while the platform handles it, the record is marked under
 * objection and verdicts show it suspended.
 */
import { useState } from 'react';
import { App as AntApp, Button, Form, Input, List, Modal, Typography } from 'antd';
import type { ListRecord } from '../../../shared/domain/schemas';
import { getClientApi } from '../../bridge';
import { useApp } from '../../app/AppContext';
import { saveObjection, type AttachedFile } from '../../db/local-records';

const MAX_SCAN_BYTES = 10 * 1024 * 1024;
const MAX_SCANS = 5;

interface Props {
  record: ListRecord;
  onClose: () => void;
}

export function ObjectionDialog({ record, onClose }: Props) {
  const app = useApp();
  const { message } = AntApp.useApp();
  const [raisedBy, setRaisedBy] = useState('');
  const [disputes, setDisputes] = useState('');
  const [contact, setContact] = useState('');
  const [files, setFiles] = useState<AttachedFile[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  async function attach() {
    if (files.length >= MAX_SCANS) {
      message.error(`最多附 ${MAX_SCANS} 个扫描件`);
      return;
    }
    const r = await getClientApi().openFile({
      title: '选择异议材料扫描件',
      filters: [{ name: '扫描件（图片或 PDF）', extensions: ['jpg', 'jpeg', 'png', 'pdf'] }],
      maxBytes: MAX_SCAN_BYTES,
    });
    if (r.status === 'opened') {
      const mime = r.name.toLowerCase().endsWith('.pdf') ? 'application/pdf' : r.name.toLowerCase().endsWith('.png') ? 'image/png' : 'image/jpeg';
      setFiles([...files, { name: r.name, mime, bytes: r.bytes }]);
    } else if (r.status === 'too-large' || r.status === 'failed') {
      message.error(r.message);
    }
  }

  async function submit() {
    const e: Record<string, string> = {};
    if (!raisedBy.trim()) e.raisedBy = '请填写异议申请人';
    if (!disputes.trim()) e.disputes = '请写明对哪项内容有异议及理由';
    if (!contact.trim()) e.contact = '请填写联系方式，便于平台反馈处理结果';
    setErrors(e);
    if (Object.keys(e).length > 0) return;
    setBusy(true);
    try {
      await saveObjection(
        app.db,
        app.actor,
        {
          id: crypto.randomUUID(),
          recordId: record.id,
          recordVersion: record.version,
          raisedBy: raisedBy.trim(),
          disputes: disputes.trim(),
          contact: contact.trim(),
          attachments: files.map((f) => ({ name: f.name, mime: f.mime, size: f.bytes.byteLength })),
          createdAt: app.now(),
          clerk: app.actor.name,
        },
        files,
      );
      await app.refreshMirror();
      message.success('异议已登记，待上报信用平台处理');
      onClose();
    } catch (err) {
      message.error(`登记失败：${err instanceof Error ? err.message : String(err)}`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      open
      title={`登记异议 · ${record.listType}（记录 ${record.id}）`}
      onCancel={onClose}
      onOk={() => void submit()}
      okText="登记并上报"
      cancelText="取消"
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'objection-submit' } as Record<string, string>}
    >
      <Typography.Paragraph type="secondary">
        异议处理期间，该记录对应的联合惩戒措施暂停执行；以信用平台标注的处理状态为准。
      </Typography.Paragraph>
      <Form layout="vertical">
        <Form.Item label="异议申请人" required validateStatus={errors.raisedBy ? 'error' : undefined} help={errors.raisedBy}>
          <Input value={raisedBy} onChange={(e) => setRaisedBy(e.target.value)} data-testid="objection-raised-by" />
        </Form.Item>
        <Form.Item label="异议内容及理由" required validateStatus={errors.disputes ? 'error' : undefined} help={errors.disputes}>
          <Input.TextArea rows={3} value={disputes} onChange={(e) => setDisputes(e.target.value)} data-testid="objection-disputes" />
        </Form.Item>
        <Form.Item label="联系方式" required validateStatus={errors.contact ? 'error' : undefined} help={errors.contact}>
          <Input value={contact} onChange={(e) => setContact(e.target.value)} data-testid="objection-contact" />
        </Form.Item>
        <Form.Item label={`证明材料扫描件（最多 ${MAX_SCANS} 个，每个不超过 10 MB）`}>
          <Button onClick={() => void attach()}>添加扫描件…</Button>
          {files.length > 0 && (
            <List size="small" dataSource={files} renderItem={(f) => <List.Item>{`${f.name}（${Math.ceil(f.bytes.byteLength / 1024)} KB）`}</List.Item>} />
          )}
        </Form.Item>
      </Form>
    </Modal>
  );
}
