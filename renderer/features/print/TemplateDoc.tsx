/** A filled template from resources/templates as a printable page. */
import { fillTemplate, templateBlocks } from '../../../shared/domain/templates';

export function TemplateDoc({ template, values }: { template: string; values: Record<string, string> }) {
  const blocks = templateBlocks(fillTemplate(template, values));
  return (
    <div className="print-record template-doc">
      {blocks.map((b, i) =>
        b.kind === 'title' ? (
          <h1 key={i}>{b.text}</h1>
        ) : (
          <p key={i} style={{ whiteSpace: 'pre-wrap' }}>
            {b.text}
          </p>
        ),
      )}
    </div>
  );
}
