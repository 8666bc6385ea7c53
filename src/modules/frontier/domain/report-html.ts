import { html, type Html } from '../../../platform/html.js';
import type { ReviewReport } from './review-report.js';

/**
 * The review report as a self-contained HTML page. Every value from the data — titles, names, notes,
 * benchmark names written by agencies — goes through the escaping `html` template of platform/html.ts;
 * nothing is inserted raw.
 */

const RELATION_WORDS: Record<string, string> = {
  at_or_beyond_reference: 'at or beyond reference',
  short_of_reference: 'short of reference',
  no_reference: 'no reference value',
  unscored: 'unscored',
};

function evaluationSection(report: ReviewReport): Html {
  if (report.evaluations.length === 0) return html`<p>No evaluation results yet.</p>`;
  const rows = report.evaluations.flatMap((e) =>
    e.measurements.map(
      (m) =>
        html`<tr>
          <td>${e.title}</td>
          <td>${m.benchmark}</td>
          <td>${m.metric}</td>
          <td>${m.value === null ? 'unscored' : m.value}</td>
          <td>${m.reference === null ? '—' : m.reference.value}</td>
          <td>${RELATION_WORDS[m.relation] ?? m.relation}</td>
        </tr>`,
    ),
  );
  return html`<table>
    <thead>
      <tr>
        <th>Evaluation</th>
        <th>Benchmark</th>
        <th>Metric</th>
        <th>Value</th>
        <th>Reference</th>
        <th>Relation</th>
      </tr>
    </thead>
    <tbody>
      ${rows}
    </tbody>
  </table>`;
}

function findingsSection(report: ReviewReport): Html {
  const risks = report.riskFindings.map(
    (f) =>
      html`<tr>
        <td>${f.title}</td>
        <td>${f.severity}</td>
        <td>${f.status}</td>
      </tr>`,
  );
  const vulns = report.vulnerabilities.visible.map(
    (v) =>
      html`<tr>
        <td>${v.title}</td>
        <td>${v.severity ?? '—'}</td>
        <td>${v.status}</td>
        <td>TLP:${v.tlp}</td>
      </tr>`,
  );
  return html`<h2>Risk findings</h2>
    ${
      risks.length === 0
        ? html`<p>None recorded.</p>`
        : html`<table>
            <thead>
              <tr>
                <th>Finding</th>
                <th>Severity</th>
                <th>Status</th>
              </tr>
            </thead>
            <tbody>
              ${risks}
            </tbody>
          </table>`
    }
    <h2>Vulnerabilities found by the model</h2>
    <p>${report.vulnerabilities.total} reported to intake; ${report.vulnerabilities.withheld} not shown to you under their TLP label.</p>
    ${
      vulns.length === 0
        ? html``
        : html`<table>
            <thead>
              <tr>
                <th>Title</th>
                <th>Severity</th>
                <th>Status</th>
                <th>Label</th>
              </tr>
            </thead>
            <tbody>
              ${vulns}
            </tbody>
          </table>`
    }`;
}

export function renderReportHtml(report: ReviewReport): string {
  const { model, review } = report;
  const recommendations = report.recommendations.map((r) => html`<li>${r.text}</li>`);
  const page = html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>Review report: ${model.name} ${model.version}</title>
        <style>
          body {
            font-family: system-ui, sans-serif;
            max-width: 60rem;
            margin: 2rem auto;
            padding: 0 1rem;
          }
          table {
            border-collapse: collapse;
            width: 100%;
          }
          td,
          th {
            border: 1px solid #ccc;
            padding: 0.3rem 0.5rem;
            text-align: left;
          }
          .notice {
            background: #eef4ff;
            padding: 0.75rem;
            border-left: 4px solid #36c;
          }
        </style>
      </head>
      <body>
        <h1>Review report: ${model.name} ${model.version}</h1>
        <p class="notice">${report.notice}</p>
        <p>${report.final ? 'Final report' : 'Draft: the review is still running'}, generated ${report.generatedAt}.</p>
        <h2>Review</h2>
        <dl>
          <dt>Window</dt>
          <dd>${review.windowStartLocal} to ${review.windowEndLocal} (${review.timeZone}; ${review.requestedDays} days)</dd>
          <dt>State</dt>
          <dd>${review.state}</dd>
          <dt>Policy version</dt>
          <dd>${report.policy.version}</dd>
          <dt>Covered status</dt>
          <dd>${model.coveredStatus}</dd>
          <dt>Planned release (the developer’s)</dt>
          <dd>${model.plannedRelease}</dd>
        </dl>
        <h2>Evaluation results</h2>
        ${evaluationSection(report)} ${findingsSection(report)}
        <h2>Recommendations</h2>
        ${
          recommendations.length === 0
            ? html`<p>None.</p>`
            : html`<ul>
                ${recommendations}
              </ul>`
        }
      </body>
    </html> `;
  return page.text;
}
