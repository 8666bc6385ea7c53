import { createHash } from 'node:crypto';
import { html, Html } from '../../../platform/html.js';
import { DATA_CLASSES, DATA_CLASS_KEYS } from './data-classes.js';
import { describeRule, type RetentionTable } from './retention-table.js';
import type { FigureSeries, MonthMetrics, TransparencyMetrics } from './transparency-metrics.js';

/**
 * The public transparency page: program metrics by month as server-rendered SVG bar charts, each with its
 * figures in a table (the charts are pictures; the tables are what screen readers and spreadsheets read),
 * and the retention table in force. No script at all; the one stylesheet is allowed by its hash in the
 * page's Content-Security-Policy, which the route sends with it.
 */

const STYLE = `body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}td,th{border:1px solid #bbb;padding:.2rem .5rem;text-align:right}
th:first-child,td:first-child{text-align:left}.note{color:#444;font-size:.9rem}figure{margin:1rem 0}`;

// Built outside the page template, so that formatting the template can never change the hashed bytes.
const STYLE_ELEMENT = new Html(`<style>${STYLE}</style>`);

/** The Content-Security-Policy the page needs: nothing but its own inline stylesheet. */
export const TRANSPARENCY_PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "img-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const WIDTH = 640;
const HEIGHT = 180;
const AXIS = 24;

const UNIT_WORDS: Readonly<Record<FigureSeries['unit'], string>> = { count: 'records', share: '%', days: 'days' };

function figureValue(value: number | null, series: FigureSeries): string {
  if (value === null) return '—';
  return series.unit === 'share' ? `${Math.round(value * 100)}` : String(value);
}

const valueOf = (m: MonthMetrics, series: FigureSeries): number | null => m.figures[series.key] ?? null;

function barChart(series: FigureSeries, months: readonly MonthMetrics[]): Html {
  const values = months.map((m) => valueOf(m, series));
  const max = Math.max(0, ...values.map((v) => v ?? 0));
  const slot = (WIDTH - AXIS) / Math.max(1, months.length);
  const bars = months.map((m, i) => {
    const value = values[i] ?? null;
    const x = AXIS + i * slot + slot * 0.15;
    const h = value === null || max === 0 ? 0 : ((HEIGHT - 2 * AXIS) * value) / max;
    return html`<g>
      <rect
        x="${x.toFixed(1)}"
        y="${(HEIGHT - AXIS - h).toFixed(1)}"
        width="${(slot * 0.7).toFixed(1)}"
        height="${h.toFixed(1)}"
        fill="#3465a4"
      >
        <title>${m.month}: ${figureValue(value, series)} ${UNIT_WORDS[series.unit]}</title>
      </rect>
      <text x="${(x + slot * 0.35).toFixed(1)}" y="${HEIGHT - 6}" font-size="10" text-anchor="middle">${m.month.slice(2)}</text>
    </g>`;
  });
  return html`<svg
    xmlns="http://www.w3.org/2000/svg"
    viewBox="0 0 ${WIDTH} ${HEIGHT}"
    width="${WIDTH}"
    height="${HEIGHT}"
    role="img"
    aria-label="${series.title} by month"
  >
    <title>${series.title} by month</title>
    <line x1="${AXIS}" y1="${HEIGHT - AXIS}" x2="${WIDTH}" y2="${HEIGHT - AXIS}" stroke="#555" />
    <text x="2" y="${AXIS - 8}" font-size="10">max ${figureValue(max, series)} ${UNIT_WORDS[series.unit]}</text>
    ${bars}
  </svg>`;
}

function seriesTable(series: FigureSeries, months: readonly MonthMetrics[]): Html {
  const rows = months.map(
    (m) =>
      html`<tr>
        <td>${m.month}</td>
        <td>${m.suppressed.includes(series.key) ? 'withheld' : figureValue(valueOf(m, series), series)}</td>
      </tr>`,
  );
  return html`<table>
    <thead>
      <tr>
        <th scope="col">Month</th>
        <th scope="col">${series.title} (${UNIT_WORDS[series.unit]})</th>
      </tr>
    </thead>
    <tbody>
      ${rows}
    </tbody>
  </table>`;
}

/** The page, as a complete HTML document; send it with {@link TRANSPARENCY_PAGE_CSP}. */
export function renderTransparencyPage(input: {
  readonly title: string;
  readonly generatedAt: string;
  readonly metrics: TransparencyMetrics;
  readonly retention: { readonly version: number; readonly table: RetentionTable };
}): string {
  const { metrics } = input;
  const charts = metrics.series.map(
    (s) =>
      html`<section>
        <h3>${s.title}</h3>
        <p class="note">${s.note}.</p>
        <figure>${barChart(s, metrics.months)}</figure>
        ${seriesTable(s, metrics.months)}
      </section>`,
  );
  const retention = DATA_CLASS_KEYS.map(
    (c) =>
      html`<tr>
        <td>${DATA_CLASSES[c]}</td>
        <td>${describeRule(c, input.retention.table.rules[c]).replace(`${c}: `, '')}</td>
      </tr>`,
  );
  const page = html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${input.title}</title>
        ${STYLE_ELEMENT}
      </head>
      <body>
        <h1>${input.title}</h1>
        <p>
          Program figures by month, generated ${input.generatedAt}. Aggregates only: a figure drawn from fewer than ${metrics.minGroup}
          records is withheld (shown as “withheld”), so that no figure can be traced back to one record.
        </p>
        <h2>Program metrics</h2>
        ${charts}
        <h2>What we keep, and for how long</h2>
        <p>Retention table version ${input.retention.version}. Legal holds suspend deletion until released.</p>
        <table>
          <thead>
            <tr>
              <th scope="col">Data</th>
              <th scope="col">Kept</th>
            </tr>
          </thead>
          <tbody>
            ${retention}
          </tbody>
        </table>
      </body>
    </html>`;
  return page.text;
}
