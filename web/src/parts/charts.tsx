/**
 * Charts as plain SVG drawn here: no charting dependency for a timeline and a bar chart, and no inline style
 * (the page's Content-Security-Policy forbids it; SVG presentation attributes are not style). Each chart is
 * an image with a name; its numbers are in a table beside it for those who would rather read.
 */
import { utc } from './when';

const WIDTH = 640;
const ROW = 22;
const LABEL = 180;

export interface Span {
  readonly key: string;
  readonly label: string;
  readonly start: string;
  readonly end: string;
  /** A CSS class for the bar (its colour lives in styles.css). */
  readonly kind?: string;
}

/** Windows on one time axis, one row each, with a line at `now`. */
export function Timeline({ spans, title, now }: { spans: readonly Span[]; title: string; now: number }) {
  if (spans.length === 0) return null;
  const times = spans.flatMap((s) => [Date.parse(s.start), Date.parse(s.end)]).concat(now);
  const min = Math.min(...times);
  const max = Math.max(...times);
  const x = (t: number) => LABEL + ((t - min) / Math.max(1, max - min)) * (WIDTH - LABEL - 10);
  const height = spans.length * ROW + 24;
  return (
    <svg className="chart" viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-label={title}>
      <title>{title}</title>
      {spans.map((s, i) => (
        <g key={s.key}>
          <text x={0} y={i * ROW + 15} className="chart-label">
            {s.label.length > 28 ? `${s.label.slice(0, 27)}…` : s.label}
          </text>
          <rect
            x={x(Date.parse(s.start))}
            y={i * ROW + 4}
            width={Math.max(2, x(Date.parse(s.end)) - x(Date.parse(s.start)))}
            height={ROW - 8}
            className={`bar ${s.kind ?? ''}`}
          />
        </g>
      ))}
      <line x1={x(now)} x2={x(now)} y1={0} y2={spans.length * ROW} className="now" />
      <text x={LABEL} y={height - 4} className="chart-label">
        {utc(new Date(min).toISOString())}
      </text>
      <text x={WIDTH - 10} y={height - 4} className="chart-label" textAnchor="end">
        {utc(new Date(max).toISOString())}
      </text>
    </svg>
  );
}

export interface Bar {
  readonly label: string;
  readonly value: number;
}

/** Values as vertical bars from zero, each labelled, with the largest written on the axis. */
export function BarChart({ bars, title, unit }: { bars: readonly Bar[]; title: string; unit: string }) {
  if (bars.length === 0) return <p>No figures yet for {title.toLowerCase()}.</p>;
  const top = Math.max(1, ...bars.map((b) => b.value));
  const height = 160;
  const step = (WIDTH - 40) / bars.length;
  return (
    <svg className="chart" viewBox={`0 0 ${WIDTH} ${height + 30}`} role="img" aria-label={title}>
      <title>{title}</title>
      <text x={0} y={12} className="chart-label">
        {top} {unit}
      </text>
      {bars.map((b, i) => {
        const h = (b.value / top) * (height - 20);
        return (
          <g key={b.label}>
            <rect x={40 + i * step + 2} y={height - h} width={Math.max(2, step - 4)} height={h} className="bar" />
            <text x={40 + i * step + step / 2} y={height + 14} className="chart-label" textAnchor="middle">
              {b.label.length > 10 ? b.label.slice(-10) : b.label}
            </text>
          </g>
        );
      })}
      <line x1={38} x2={WIDTH} y1={height} y2={height} className="axis" />
    </svg>
  );
}
