/**
 * The console's charts. Figures (bars, lines, reference dots) are drawn with recharts (parts/series-chart);
 * a timeline of windows stays plain SVG drawn here, since recharts has no time-span (Gantt) chart. No inline
 * style either way (the page's Content-Security-Policy forbids it; SVG presentation attributes and the DOM's
 * style object are not style attributes). Each chart is an image with a name; its numbers are in a table
 * beside it.
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

/** Figures as bars: one series of {@link SeriesChart}, drawn by recharts and loaded only when a page shows one. */
export function BarChart({ bars, title, unit }: { bars: readonly Bar[]; title: string; unit: string }) {
  return (
    <SeriesChart
      title={title}
      x="label"
      rows={bars.map((b) => ({ label: b.label, value: b.value }))}
      series={[{ key: 'value', name: title, kind: 'bar' }]}
      unit={unit === 'days' ? ' d' : ''}
      integers={unit === 'reports'}
    />
  );
}

export interface SeriesChartProps {
  readonly title: string;
  /** One object per point on the x axis: `x` names its label, each series' key its value (null: none). */
  readonly rows: readonly Readonly<Record<string, string | number | null>>[];
  readonly x: string;
  readonly series: readonly { readonly key: string; readonly name: string; readonly kind: 'bar' | 'line' | 'dot' }[];
  /** A suffix for the y axis' ticks (' h', ' %'). */
  readonly unit?: string;
  readonly yMax?: number;
  /** Counts: no ticks between whole numbers. */
  readonly integers?: boolean;
}

const LazySeriesChart = lazy(() => import('./series-chart'));

/** Several series on one axis (parts/series-chart), loaded only when a page shows one. */
export function SeriesChart(props: SeriesChartProps) {
  if (props.rows.length === 0) return <p>No figures yet for {props.title.toLowerCase()}.</p>;
  return (
    <Suspense fallback={<p>Drawing {props.title.toLowerCase()}…</p>}>
      <LazySeriesChart {...props} />
    </Suspense>
  );
}
