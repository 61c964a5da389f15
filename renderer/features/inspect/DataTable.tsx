/**
 * A plain, keyboard-usable table over a TanStack table instance: real <table> semantics, every
 * row focusable, Enter (or a click) opens the row. For the inspector's lists, which hold a few
 * hundred rows at most (the area list is paged from the mirror on demand).
 */
import type { ReactNode } from 'react';

export interface DataTableProps<Row> {
  headers: { id: string; header: ReactNode; width?: number; sort?: 'asc' | 'desc' | false; onSort?: (event: unknown) => void }[];
  rows: { id: string; original: Row; cells: { id: string; node: ReactNode }[] }[];
  onOpen?: (row: Row) => void;
  empty: ReactNode;
  testId: string;
  caption: string;
  /** Columns without a set width: they share what the others leave. */
  fill?: readonly string[];
}

export function DataTable<Row>({ headers, rows, onOpen, empty, testId, caption, fill = [] }: DataTableProps<Row>) {
  return (
    <div className="inspect-table-wrap">
      <table className="inspect-table" data-testid={testId}>
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            {headers.map((h) => (
              <th
                key={h.id}
                scope="col"
                style={h.width && !fill.includes(h.id) ? { width: h.width } : undefined}
                aria-sort={h.sort === 'asc' ? 'ascending' : h.sort === 'desc' ? 'descending' : undefined}
              >
                {h.onSort ? (
                  <button type="button" className="inspect-sort" onClick={h.onSort}>
                    {h.header}
                    <span aria-hidden>{h.sort === 'asc' ? ' ▲' : h.sort === 'desc' ? ' ▼' : ' ⇅'}</span>
                  </button>
                ) : (
                  h.header
                )}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={headers.length} className="inspect-empty">
                {empty}
              </td>
            </tr>
          ) : (
            rows.map((r) => (
              <tr
                key={r.id}
                data-testid={`${testId}-row`}
                data-row-id={r.id}
                tabIndex={onOpen ? 0 : undefined}
                className={onOpen ? 'inspect-row-open' : undefined}
                onClick={onOpen ? () => onOpen(r.original) : undefined}
                onKeyDown={
                  onOpen
                    ? (e) => {
                        if (e.key === 'Enter' && e.target === e.currentTarget) onOpen(r.original);
                      }
                    : undefined
                }
              >
                {r.cells.map((c) => (
                  <td key={c.id}>{c.node}</td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
