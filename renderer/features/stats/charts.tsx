/**
 * The 统计 screen's charts, drawn as plain SVG and HTML: nothing to load, nothing evaluated, so
 * they work offline and under the app's CSP (script-src 'self', inline styles only), and every
 * colour is chosen here for contrast on white.
 *
 * Accessibility: the column chart is an image with a one-sentence summary and points to the
 * table that holds its numbers (aria-describedby); a bar table IS a table (caption, row headers,
 * counts as text) whose bars are decoration.
 */
import { useId } from 'react';

/** Fills with at least 4.5:1 against white, so a bar reads even without its label. */
export const CHART_COLOURS = {
  checks: '#1d4f91',
  hits: '#a8071a',
  punished: '#a8071a',
  rewarded: '#135200',
  notApplied: '#7a4500',
  neutral: '#434343',
  fastTrack: '#391085',
} as const;

export interface Series {
  name: string;
  colour: string;
  values: readonly number[];
}

/** A round upper bound for the axis: 1, 2, 5 × 10^k, at least 1. */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const exp = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 5, 10]) if (m * exp >= max) return m * exp;
  return 10 * exp;
}

const W = 720;
const H = 250;
const M = { top: 12, right: 8, bottom: 42, left: 44 };

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * Grouped columns, one group per category (a day, a month, a matter…), one column per series.
 * `tableId` names the table that holds the same numbers.
 */
export function ColumnChart(props: {
  title: string;
  categories: readonly string[];
  /** Shorter axis labels (e.g. 03-05 for 2026-03-05); defaults to the categories. */
  axisLabels?: readonly string[];
  series: readonly Series[];
  summary: string;
  tableId?: string;
  testId?: string;
}) {
  const titleId = useId();
  const summaryId = useId();
  const { categories, series } = props;
  const n = categories.length;
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const top = niceMax(Math.max(0, ...series.flatMap((s) => s.values)));
  // top is 1, 2, 5 × 10^k: whole-number steps of 1 up to 5, else fifths.
  const step = top <= 5 ? 1 : top / 5;
  const ticks = Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step);
  const y = (v: number) => M.top + plotH - (v / top) * plotH;
  const band = n > 0 ? plotW / n : plotW;
  const barW = Math.max(1, Math.min(28, (band * 0.8) / Math.max(1, series.length)));
  // One label every `every` categories, so they never overlap (about 64 units each).
  const every = Math.max(1, Math.ceil(n / Math.floor(plotW / 64)));
  const labels = props.axisLabels ?? categories;
  return (
    <figure className="stats-figure" data-testid={props.testId}>
      <figcaption id={titleId} className="stats-figure-title">
        {props.title}
      </figcaption>
      <ul className="stats-legend" aria-hidden="true">
        {series.map((s) => (
          <li key={s.name}>
            <span className="stats-swatch" style={{ background: s.colour }} />
            {s.name}
          </li>
        ))}
      </ul>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        className="stats-svg"
        role="img"
        aria-labelledby={titleId}
        aria-describedby={props.tableId ? `${summaryId} ${props.tableId}` : summaryId}
      >
        {ticks.map((t) => (
          <g key={t}>
            <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} stroke={t === 0 ? '#595959' : '#d9d9d9'} strokeWidth={1} />
            <text x={M.left - 6} y={y(t) + 4} textAnchor="end" className="stats-axis-text">
              {t}
            </text>
          </g>
        ))}
        {categories.map((c, i) => {
          const x0 = M.left + i * band + (band - barW * series.length) / 2;
          return (
            <g key={c}>
              {series.map((s, j) => {
                const v = s.values[i] ?? 0;
                return (
                  <rect key={s.name} x={x0 + j * barW} y={y(v)} width={Math.max(1, barW - 1)} height={Math.max(0, y(0) - y(v))} fill={s.colour}>
                    <title>{`${c} ${s.name}：${v}`}</title>
                  </rect>
                );
              })}
              {i % every === 0 && (
                <text x={M.left + i * band + band / 2} y={H - M.bottom + 16} textAnchor="middle" className="stats-axis-text">
                  {shorten(labels[i] ?? c, 8)}
                </text>
              )}
            </g>
          );
        })}
        {n === 0 && (
          <text x={W / 2} y={H / 2} textAnchor="middle" className="stats-axis-text">
            无数据
          </text>
        )}
      </svg>
      <p id={summaryId} className="stats-figure-note">
        {props.summary}
      </p>
    </figure>
  );
}

export interface BarItem {
  label: string;
  value: number;
  colour?: string;
  /** Shown after the count, e.g. a share. */
  note?: string;
  testId?: string;
}

/** Horizontal bars as a table: the label and the count are the text, the bar is decoration. */
export function BarTable(props: { title: string; items: readonly BarItem[]; empty?: string; testId?: string; unit?: string }) {
  const max = Math.max(0, ...props.items.map((i) => i.value));
  return (
    <figure className="stats-figure" data-testid={props.testId}>
      <table className="stats-bars">
        <caption className="stats-figure-title">{props.title}</caption>
        <thead className="stats-visually-hidden">
          <tr>
            <th scope="col">项目</th>
            <th scope="col">{props.unit ?? '次数'}</th>
            <th scope="col">图示</th>
          </tr>
        </thead>
        <tbody>
          {props.items.length === 0 && (
            <tr>
              <td colSpan={3} className="stats-empty">
                {props.empty ?? '无数据'}
              </td>
            </tr>
          )}
          {props.items.map((item) => (
            <tr key={item.label} data-testid={item.testId}>
              <th scope="row" className="stats-bar-label" title={item.label}>
                {item.label}
              </th>
              <td className="stats-bar-value">
                {item.value}
                {item.note && <span className="stats-bar-note">{item.note}</span>}
              </td>
              <td className="stats-bar-cell" aria-hidden="true">
                <span
                  className="stats-bar"
                  style={{ width: max > 0 ? `${(item.value / max) * 100}%` : 0, background: item.colour ?? CHART_COLOURS.neutral }}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
