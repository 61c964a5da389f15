/**
 * Photos and documents of an inspection on screen: thumbnails from blob URLs (revoked when the
 * image goes away), a document tile for PDFs, and picking a file through the bridge.
 */
import { useEffect, useRef, useState, type CSSProperties } from 'react';
import { Button, Modal } from 'antd';
import { getClientApi } from '../../bridge';
import { ATTACHMENT_LIMITS, formatSize, isImage, sniffMime, type InspectionFile } from '../../db/inspections';

export interface ShownFile {
  key: string;
  name: string;
  mime: string;
  size: number;
  bytes: Uint8Array;
}

/**
 * An image from bytes: the blob URL is made when the element is shown and revoked when it goes
 * away; it is set on the element directly, so no render waits for it.
 */
function BlobImage({ bytes, mime, alt, className, style }: { bytes: Uint8Array; mime: string; alt: string; className?: string; style?: CSSProperties }) {
  const ref = useRef<HTMLImageElement>(null);
  useEffect(() => {
    const url = URL.createObjectURL(new Blob([new Uint8Array(bytes)], { type: mime }));
    if (ref.current) ref.current.src = url;
    return () => URL.revokeObjectURL(url);
  }, [bytes, mime]);
  return <img ref={ref} alt={alt} className={className} style={style} />;
}

/**
 * Thumbnails (a button each: click or Enter shows the whole picture) and document tiles;
 * `onRemove` adds a 移除 button, `onSaveAs` an 另存 button.
 */
export function FileTiles({
  files,
  onRemove,
  onSaveAs,
  testId,
}: {
  files: readonly ShownFile[];
  onRemove?: (key: string) => void;
  onSaveAs?: (file: ShownFile) => void;
  testId: string;
}) {
  const [preview, setPreview] = useState<ShownFile | null>(null);
  if (files.length === 0) return null;
  return (
    <>
      <ul className="inspect-files" data-testid={testId} aria-label="检查材料">
        {files.map((f) => (
          <li key={f.key} className="inspect-file" data-testid={`${testId}-item`} data-mime={f.mime}>
            {isImage(f.mime) ? (
              <button type="button" className="inspect-thumb" onClick={() => setPreview(f)} aria-label={`查看照片 ${f.name}`}>
                <BlobImage bytes={f.bytes} mime={f.mime} alt={`照片：${f.name}`} className="inspect-thumb-img" />
              </button>
            ) : (
              <div className="inspect-file-doc" aria-hidden>
                {f.mime === 'application/pdf' ? 'PDF' : '文件'}
              </div>
            )}
            <span className="inspect-file-name" title={f.name}>
              {f.name}
            </span>
            <span className="inspect-file-size">{formatSize(f.size)}</span>
            {onSaveAs && (
              <Button size="small" onClick={() => onSaveAs(f)} aria-label={`另存 ${f.name}`}>
                另存…
              </Button>
            )}
            {onRemove && (
              <Button size="small" onClick={() => onRemove(f.key)} aria-label={`移除 ${f.name}`}>
                移除
              </Button>
            )}
          </li>
        ))}
      </ul>
      <Modal open={preview !== null} onCancel={() => setPreview(null)} footer={null} title={preview?.name} width="min(90vw, 1100px)" destroyOnHidden>
        {preview && <BlobImage bytes={preview.bytes} mime={preview.mime} alt={`照片：${preview.name}`} style={{ maxWidth: '100%', maxHeight: '75vh', display: 'block', margin: '0 auto' }} />}
      </Modal>
    </>
  );
}

export type PickResult = { status: 'picked'; file: InspectionFile } | { status: 'cancelled' } | { status: 'refused'; message: string };

/** Lets the inspector choose one photo or document; the bridge refuses files over the per-file limit. */
export async function pickInspectionFile(): Promise<PickResult> {
  const r = await getClientApi().openFile({
    title: '选择现场照片或检查文书',
    filters: [{ name: '照片或 PDF 文档', extensions: ['jpg', 'jpeg', 'png', 'pdf'] }],
    maxBytes: ATTACHMENT_LIMITS.maxFileBytes,
  });
  if (r.status === 'opened') return { status: 'picked', file: { name: r.name, bytes: r.bytes } };
  if (r.status === 'too-large')
    return { status: 'refused', message: `“${r.name}”大小 ${formatSize(r.size)}，超过单个文件上限 ${formatSize(r.limit)}` };
  if (r.status === 'failed') return { status: 'refused', message: r.message };
  return { status: 'cancelled' };
}

/** A chosen file as shown before saving (its type by content; attachmentProblem has checked it). */
export function shownFromPicked(file: InspectionFile, key: string): ShownFile {
  return { key, name: file.name, mime: sniffMime(file.bytes) ?? 'application/octet-stream', size: file.bytes.byteLength, bytes: file.bytes };
}
