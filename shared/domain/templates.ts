/**
 * Fills the printed templates in resources/templates (信用承诺书, 容缺受理通知书). A template
 * names its fields as {{name}}; a missing value is an error, never a blank on paper.
 */
export function fillTemplate(template: string, values: Record<string, string>): string {
  const missing = new Set<string>();
  const out = template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    const v = values[key];
    if (v === undefined) {
      missing.add(key);
      return '';
    }
    return v;
  });
  if (missing.size > 0) throw new Error(`模板缺少字段：${[...missing].join('、')}`);
  return out;
}

/** The blocks of a filled template: '# ' starts the title, blank lines separate paragraphs. */
export function templateBlocks(text: string): { kind: 'title' | 'para'; text: string }[] {
  return text
    .split(/\n\s*\n/)
    .map((b) => b.trim())
    .filter((b) => b.length > 0)
    .map((b) => (b.startsWith('# ') ? { kind: 'title' as const, text: b.slice(2) } : { kind: 'para' as const, text: b }));
}
