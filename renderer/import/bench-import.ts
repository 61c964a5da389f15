/**
 * The import benchmark: a list workbook of `rows` synthetic records (shared/sample/generator.ts)
 * written in memory from the template columns, then read and validated exactly as the import
 * worker does, each step timed. Runs in Node (scripts/bench-import.ts) and in a browser page.
 * The target (issue): 100,000 rows read + validated in ≤ 15 s.
 */
import { rowOf } from '../../shared/import/columns';
import { validateSheet } from '../../shared/import/validate';
import { generateRecords } from '../../shared/sample/generator';
import { bookBytes, dataBook } from './template-workbook';
import { readWorkbook } from './xlsx-reader';

export interface ImportBenchResult {
  rows: number;
  fileBytes: number;
  /** Milliseconds. `readAndValidate` is what a clerk waits for after choosing the file. */
  ms: {
    generate: number;
    write: number;
    check: number;
    parse: number;
    rows: number;
    validate: number;
    readAndValidate: number;
  };
  ok: boolean;
  records: number;
  warnings: number;
  errors: number;
}

export interface ImportBenchOptions {
  seed?: number;
  /** The generator's "today" (dates are spread back from it). */
  today?: string;
}

const round = (n: number): number => Math.round(n);

export async function benchImport(rows = 100_000, opts: ImportBenchOptions = {}): Promise<ImportBenchResult> {
  const t0 = performance.now();
  const data = [];
  for (const r of generateRecords({ seed: opts.seed ?? 20261121, records: rows, today: opts.today ?? '2026-11-21' })) data.push(rowOf('list', r));
  const t1 = performance.now();
  const bytes = bookBytes(dataBook('list', data));
  data.length = 0;
  const t2 = performance.now();

  const read = await readWorkbook(bytes, { sheetName: '名单' });
  if (!read.ok) throw new Error(`benchmark workbook refused: ${read.errors[0]?.message ?? ''}`);
  const t3 = performance.now();
  const result = validateSheet('list', read.sheet);
  const t4 = performance.now();

  return {
    rows,
    fileBytes: bytes.length,
    ms: {
      generate: round(t1 - t0),
      write: round(t2 - t1),
      check: round(read.ms.checkMs),
      parse: round(read.ms.parseMs),
      rows: round(read.ms.rowsMs),
      validate: round(t4 - t3),
      readAndValidate: round(t4 - t2),
    },
    ok: result.ok,
    records: result.ok ? result.records.length : 0,
    // Generated data can name one subject twice on one list and day, under distinct record ids: warnings.
    warnings: result.ok ? result.preview.warnings.length + result.preview.moreWarnings : 0,
    errors: result.ok ? 0 : result.errors.length + result.moreErrors,
  };
}
