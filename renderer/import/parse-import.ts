/**
 * File bytes → a validated import (or the reasons it is refused): the workbook reader, then the
 * validation of shared/import. What the import worker runs; also what the tests and the
 * benchmark call directly.
 */
import { IMPORT_KINDS, type ImportKind } from '../../shared/import/columns';
import { validateSheet, type ImportResult } from '../../shared/import/validate';
import { readWorkbook, type ReaderLimits } from './xlsx-reader';

export type ImportPhase = 'check' | 'parse' | 'rows' | 'validate';

export interface ImportProgress {
  phase: ImportPhase;
  /** 0–100 over the whole job (the phases are weighted by their measured share of the time). */
  percent: number;
}

export interface ParseImportOptions {
  /** ID-number birth dates may not be after this moment (default: now). */
  now?: number;
  /** Known matter ids, for warnings on measures naming unknown ones. */
  matterIds?: readonly string[];
  limits?: Partial<ReaderLimits>;
  onProgress?: (p: ImportProgress) => void;
}

/** Where each phase starts on the progress bar (parse is one opaque SheetJS call). */
const PHASE_START: Record<ImportPhase, number> = { check: 0, parse: 5, rows: 60, validate: 65 };

export async function parseImport(bytes: Uint8Array, kind: ImportKind, opts: ParseImportOptions = {}): Promise<ImportResult> {
  const progress = opts.onProgress;
  const read = await readWorkbook(bytes, {
    sheetName: IMPORT_KINDS[kind].sheetName,
    ...(opts.limits ? { limits: opts.limits } : {}),
    onPhase: (phase) => progress?.({ phase, percent: PHASE_START[phase] }),
  });
  if (!read.ok) return read;
  progress?.({ phase: 'validate', percent: PHASE_START.validate });
  return validateSheet(kind, read.sheet, {
    today: new Date(opts.now ?? Date.now()),
    ...(opts.matterIds ? { matterIds: new Set(opts.matterIds) } : {}),
    onProgress: (done, total) =>
      progress?.({ phase: 'validate', percent: PHASE_START.validate + Math.round(((100 - PHASE_START.validate) * done) / Math.max(1, total)) }),
  });
}
