/**
 * Print preview of a document, then print through the bridge (PDF on the desktop, the print
 * dialog in the browser variant). The same content is rendered once more for paper only.
 */
import type { ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { App as AntApp, Button, Modal } from 'antd';
import { getClientApi } from '../../bridge';

interface Props {
  open: boolean;
  onClose: () => void;
  title: string;
  fileName: string;
  children: ReactNode;
}

export function PrintDialog({ open, onClose, title, fileName, children }: Props) {
  const { message } = AntApp.useApp();

  async function onPrint() {
    const r = await getClientApi().printToPdf({ suggestedName: fileName });
    if (r.status === 'saved') message.success(`已保存为 ${r.fileName}`);
    else if (r.status === 'failed') message.error(`打印失败：${r.message}`);
  }

  return (
    <>
      <Modal
        open={open}
        onCancel={onClose}
        width={920}
        title={`打印预览 · ${title}`}
        footer={[
          <Button key="close" onClick={onClose}>
            关闭
          </Button>,
          <Button key="print" type="primary" onClick={() => void onPrint()} data-testid="print-now">
            打印 / 保存为 PDF
          </Button>,
        ]}
      >
        <div className="print-preview" data-testid="print-preview">
          {children}
        </div>
      </Modal>
      {open && createPortal(<div className="print-area">{children}</div>, document.body)}
    </>
  );
}
