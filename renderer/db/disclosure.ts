/**
 * Where personal data leaves its shield: showing a person's full ID number on screen, and
 * exporting spreadsheets. Both are data-layer calls that check the session's permission
 * themselves (only 管理员 may unmask or export unmasked, shared/domain/accounts.ts) and write the
 * audit trail; screens cannot skip them by hiding or showing a button.
 *
 * An export's rows carry identifiers as IdCell, never as text: this module decides whether the
 * workbook gets the shielded form (shieldIdentifier, 004 §3) or the full one.
 */
import { shieldIdentifier } from '../../shared/domain/identifiers';
import type { SubjectType } from '../../shared/domain/schemas';
import { workbookBytes, type Cell } from '../export/xlsx';
import type { HechataiDb } from './database';
import { recordAudit, withAudit } from './audit-log';
import { requirePermission, type Session } from './session';

/** An identifier in an export row: shielded unless the export is unmasked. */
export interface IdCell {
  readonly subjectType: SubjectType;
  readonly identifier: string;
}

export type ExportCell = Cell | IdCell;

export const idCell = (subjectType: SubjectType, identifier: string): IdCell => ({ subjectType, identifier });

function isIdCell(c: ExportCell): c is IdCell {
  return typeof c === 'object' && c !== null && 'identifier' in c;
}

export interface ExportSpec {
  /** What is exported, for the audit trail (e.g. '核查记录'). */
  what: string;
  sheet: string;
  header: readonly string[];
  rows: readonly (readonly ExportCell[])[];
  /** Full identifiers: 管理员 only ('export.unmasked'); otherwise shielded ('export.masked'). */
  unmasked?: boolean;
}

/** The rows with every IdCell resolved, after the permission check. */
export function resolveExportRows(session: Session, spec: Pick<ExportSpec, 'rows' | 'unmasked'>): Cell[][] {
  const unmasked = spec.unmasked === true;
  requirePermission(session, unmasked ? 'export.unmasked' : 'export.masked');
  return spec.rows.map((row) =>
    row.map((c) => (isIdCell(c) ? (unmasked ? c.identifier : shieldIdentifier(c.subjectType, c.identifier)) : c)),
  );
}

/**
 * The workbook's bytes, after checking the permission and writing the audit entry (what, how
 * many rows, unmasked or not). The caller saves the bytes (renderer/export/xlsx.ts saveWorkbook).
 */
export async function exportWorkbook(db: HechataiDb, session: Session, spec: ExportSpec, now: number): Promise<Uint8Array<ArrayBuffer>> {
  const rows = resolveExportRows(session, spec);
  const bytes = await workbookBytes(spec.sheet, spec.header, rows);
  await withAudit(db, [], async () => undefined, {
    at: now,
    actor: session.login,
    role: session.role,
    action: 'export',
    detail: { what: spec.what, rows: rows.length, unmasked: spec.unmasked === true },
  });
  return bytes;
}

/**
 * A person's full ID number for an administrator, audited with where it was shown (a record or
 * check id, never the number itself).
 */
export async function revealIdentifier(
  db: HechataiDb,
  session: Session,
  cell: IdCell,
  context: { screen: string; recordId: string },
  now: number,
): Promise<string> {
  requirePermission(session, 'identifier.unmask');
  await recordAudit(db, {
    at: now,
    actor: session.login,
    role: session.role,
    action: 'unmask',
    detail: { screen: context.screen, record: context.recordId, subjectType: cell.subjectType },
  });
  return cell.identifier;
}
