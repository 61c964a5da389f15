/**
 * `npx tsx scripts/make-templates.ts`: writes the import templates shipped with the app
 * (resources/templates/名单导入模板.xlsx, 措施清单导入模板.xlsx, 审批事项导入模板.xlsx) from the
 * column table in shared/import/columns.ts — header row, one fictional example row, column
 * widths, and a 填写说明 sheet. The output is deterministic; commit it after changing columns.ts.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { IMPORT_KINDS, IMPORT_KIND_LIST } from '../shared/import/columns';
import { bookBytes, templateBook } from '../renderer/import/template-workbook';

const dir = resolve(import.meta.dirname, '../resources/templates');
for (const kind of IMPORT_KIND_LIST) {
  const file = resolve(dir, IMPORT_KINDS[kind].templateFile);
  const bytes = bookBytes(templateBook(kind));
  writeFileSync(file, bytes);
  console.log(`${file} (${bytes.length} bytes)`);
}
