/**
 * A bar chart of figures drawn with recharts (the maintained charting library DESIGN.md §7 names). It sits
 * in its own module so the pages load it lazily: the library stays out of the first page's bundle. recharts
 * sets its sizes through the DOM's style object (React's style prop, CSSOM), never a style attribute in
 * markup or a style element, so the console's `style-src 'self'` policy holds. The chart is one image with
 * a name; its numbers are in the table the page puts beside it.
 */
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Bar as Figure } from './charts';

export default function FigureChart({ bars, title, unit }: { bars: readonly Figure[]; title: string; unit: string }) {
  return (
    <div className="chart">
      <ResponsiveContainer width="100%" height={200}>
        <BarChart
          data={bars.map((b) => ({ label: b.label, value: b.value }))}
          title={title}
          role="img"
          aria-label={title}
          accessibilityLayer={false}
          margin={{ top: 8, right: 8, bottom: 4, left: 8 }}
        >
          <CartesianGrid vertical={false} stroke="#d0d0d0" />
          <XAxis dataKey="label" tick={{ fontSize: 11, fill: '#1b1b1b' }} stroke="#1b1b1b" />
          <YAxis
            allowDecimals={unit !== 'reports'}
            tick={{ fontSize: 11, fill: '#1b1b1b' }}
            stroke="#1b1b1b"
            width={48}
            unit={unit === 'days' ? ' d' : ''}
          />
          <Tooltip formatter={(value) => [`${String(value)} ${unit}`, title]} isAnimationActive={false} />
          <Bar dataKey="value" name={title} fill="#1d3557" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
