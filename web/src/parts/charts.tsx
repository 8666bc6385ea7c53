/**
 * The console's charts. Figures (bars) are drawn with recharts; a timeline of windows stays plain SVG drawn
 * here, since recharts has no time-span (Gantt) chart. No inline style either way (the page's
 * Content-Security-Policy forbids it; SVG presentation attributes and the DOM's style object are not
 * style attributes). Each chart is an image with a name; its numbers are in a table beside it.
 */
import { Suspense, lazy } from 'react';
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

/**
 * Figures as bars, drawn by recharts (parts/figure-chart), loaded only when a page shows one: the first
 * page's bundle does not carry the library.
 */
const FigureChart = lazy(() => import('./figure-chart'));

export function BarChart({ bars, title, unit }: { bars: readonly Bar[]; title: string; unit: string }) {
  if (bars.length === 0) return <p>No figures yet for {title.toLowerCase()}.</p>;
  return (
    <Suspense fallback={<p>Drawing {title.toLowerCase()}…</p>}>
      <FigureChart bars={bars} title={title} unit={unit} />
    </Suspense>
  );
}
