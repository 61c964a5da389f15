/** Print preview of the 核查记录单, then print through the bridge (PDF on the desktop). */
import { createPortal } from 'react-dom';
import { App as AntApp, Button, Modal } from 'antd';
import { getClientApi } from '../../bridge';
import { PrintRecord, type PrintProps } from './PrintRecord';

export function PrintDialog({ open, onClose, print }: { open: boolean; onClose: () => void; print: PrintProps }) {
  const { message } = AntApp.useApp();

  async function onPrint() {
    const r = await getClientApi().printToPdf({ suggestedName: `核查记录单-${print.checkId.slice(0, 8)}.pdf` });
    if (r.status === 'saved') message.success(`已保存为 ${r.fileName}`);
    else if (r.status === 'failed') message.error(`打印失败：${r.message}`);
  }

  return (
    <>
      <Modal
        open={open}
        onCancel={onClose}
        width={920}
        title="打印预览 · 信用核查记录单"
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
          <PrintRecord {...print} />
        </div>
      </Modal>
      {createPortal(
        <div className="print-area">
          <PrintRecord {...print} />
        </div>,
        document.body,
      )}
    </>
  );
}
