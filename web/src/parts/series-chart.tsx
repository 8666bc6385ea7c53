/**
 * Several series on one axis, drawn with recharts (bars, lines, or dots for reference values), loaded lazily
 * so the first page's bundle does not carry the library. Sizes go through the DOM's style object, never a style attribute, so `style-src 'self'`
 * holds. The chart is one image with a name; its numbers are in the table the page puts beside it.
 */
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Scatter, Tooltip, XAxis, YAxis } from 'recharts';
import type { SeriesChartProps } from './charts';

const COLOURS = ['#1d3557', '#b5179e', '#2a7f62', '#9c4a00', '#5a5a5a', '#0b6e99'];

export default function SeriesChart({ title, rows, x, series, unit, yMax, integers }: SeriesChartProps) {
  return (
    <div className="chart">
      <ResponsiveContainer width="100%" height={240}>
        <ComposedChart
          data={rows.map((r) => ({ ...r }))}
          title={title}
          role="img"
          aria-label={title}
          accessibilityLayer={false}
          margin={{ top: 8, right: 8, bottom: 4, left: 8 }}
        >
          <CartesianGrid vertical={false} stroke="#d0d0d0" />
          <XAxis dataKey={x} tick={{ fontSize: 11, fill: '#1b1b1b' }} stroke="#1b1b1b" />
          <YAxis
            tick={{ fontSize: 11, fill: '#1b1b1b' }}
            stroke="#1b1b1b"
            width={48}
            allowDecimals={integers !== true}
            domain={yMax === undefined ? [0, 'auto'] : [0, yMax]}
            unit={unit ?? ''}
          />
          <Tooltip isAnimationActive={false} />
          {series.length > 1 && <Legend wrapperStyle={{ fontSize: 12, color: '#1b1b1b' }} />}
          {series.map((s, i) => {
            const colour = COLOURS[i % COLOURS.length];
            if (s.kind === 'bar') return <Bar key={s.key} dataKey={s.key} name={s.name} fill={colour} isAnimationActive={false} />;
            if (s.kind === 'dot')
              return <Scatter key={s.key} dataKey={s.key} name={s.name} fill={colour} shape="diamond" isAnimationActive={false} />;
            return (
              <Line
                key={s.key}
                dataKey={s.key}
                name={s.name}
                stroke={colour}
                strokeWidth={2}
                dot={false}
                connectNulls={false}
                isAnimationActive={false}
                type="stepAfter"
              />
            );
          })}
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
