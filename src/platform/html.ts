/**
 * HTML written on the server (reports, public pages): every value from data goes through
 * {@link escapeHtml}; the {@link html} template escapes each interpolated value unless it is already
 * rendered {@link Html}, so nothing is inserted raw by accident.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"'`]/g, (c) => ESCAPES[c] ?? c);
}

/** Markup already rendered (and escaped) by {@link html}. */
export class Html {
  constructor(readonly text: string) {}
}

/** A tagged template that escapes every interpolated value (arrays item by item) unless it is {@link Html}. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    const rendered = Array.isArray(value)
      ? value.map((v) => (v instanceof Html ? v.text : escapeHtml(v))).join('')
      : value instanceof Html
        ? value.text
        : escapeHtml(value);
    out += rendered + (strings[i + 1] ?? '');
  });
  return new Html(out);
}
