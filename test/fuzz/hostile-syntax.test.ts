import { describe, expect, it } from 'vitest';
import { parseSubmission } from '../../src/modules/intake/index.js';
import { parseSbom } from '../../src/modules/inventory/domain/sbom-parse.js';
import { loadOsv } from '../../src/modules/inventory/files/osv-sources.js';
import { InputError } from '../../src/platform/errors.js';

/**
 * XML and YAML from outside are data, never instructions: no external entity is resolved, no entity or alias
 * expansion multiplies a small file into a large one, no custom or language tag is honoured, and no key
 * reaches a prototype. Each case states the attack and the answer expected of a safe parser.
 */

const cyclonedxXml = (doctype: string, name: string): string =>
  `<?xml version="1.0"?>${doctype}<bom xmlns="http://cyclonedx.org/schema/bom/1.5" version="1"><components>` +
  `<component type="library"><name>${name}</name><version>1.0</version><purl>pkg:npm/x@1.0</purl></component></components></bom>`;

const refusal = (read: () => unknown): string => {
  try {
    read();
  } catch (error) {
    if (error instanceof InputError) return error.message;
    throw error;
  }
  return 'read';
};

const laughs = (levels: number): string =>
  '<!ENTITY l0 "lollollollollollollollollollol">' +
  Array.from({ length: levels }, (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`).join('');

describe('XML (CycloneDX) is read without external entities or entity expansion bombs', () => {
  it('reads a plain document, and an internal entity within bounds', () => {
    expect(parseSbom(cyclonedxXml('', 'x')).components.map((c) => c.name)).toEqual(['x']);
    expect(parseSbom(cyclonedxXml('<!DOCTYPE bom [<!ENTITY a "alpha">]>', '&a;')).components.map((c) => c.name)).toEqual(['alpha']);
  });

  it.each([
    ['a file', '<!DOCTYPE bom [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', '&xxe;'],
    ['a URL', '<!DOCTYPE bom [<!ENTITY xxe SYSTEM "http://127.0.0.1:9/secret">]>', '&xxe;'],
    ['a public identifier', '<!DOCTYPE bom [<!ENTITY xxe PUBLIC "-//x//y" "http://127.0.0.1:9/y">]>', '&xxe;'],
    ['a parameter entity', '<!DOCTYPE bom [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x.dtd"> %p;]>', 'x'],
  ])('refuses an external entity naming %s', (_what, doctype, name) => {
    expect(refusal(() => parseSbom(cyclonedxXml(doctype, name)))).toMatch(/^XML file: not well-formed XML: /);
  });

  it('never expands nested entities: a billion-laughs document yields a short name or is refused', () => {
    const outcome = (levels: number): string => {
      try {
        return parseSbom(cyclonedxXml(`<!DOCTYPE bom [${laughs(levels)}]>`, `&l${levels};`)).components[0]?.name ?? '';
      } catch (error) {
        if (error instanceof InputError) return '';
        throw error;
      }
    };
    // Fully expanded, level 9 would be 30 × 10^9 characters.
    for (const levels of [3, 9]) expect(outcome(levels).length).toBeLessThan(1_000);
  });

  it('refuses entities that are large, or expand past 100,000 characters in all', () => {
    expect(refusal(() => parseSbom(cyclonedxXml(`<!DOCTYPE bom [<!ENTITY big "${'x'.repeat(20_000)}">]>`, '&big;')))).toMatch(
      /exceeds maximum allowed size/,
    );
    expect(refusal(() => parseSbom(cyclonedxXml(`<!DOCTYPE bom [<!ENTITY b "${'x'.repeat(9_000)}">]>`, '&b;'.repeat(20))))).toMatch(
      /^XML file: not well-formed XML: /,
    );
  });

  it('refuses prototype keys as element or attribute names, and deep nesting, without polluting anything', () => {
    for (const name of ['__proto__', 'constructor']) {
      const doc = cyclonedxXml('', 'x').replace('<components>', `<${name} ${name}="1"><polluted>yes</polluted></${name}><components>`);
      expect(refusal(() => parseSbom(doc))).toMatch(/^XML file: /);
    }
    const deep = cyclonedxXml('', 'x').replace(
      '<components>',
      `<components>${'<component type="library"><name>a</name><components>'.repeat(2_000)}${'</components></component>'.repeat(2_000)}`,
    );
    expect(refusal(() => parseSbom(deep))).toMatch(/^XML file: not well-formed XML: Maximum nested tags exceeded/);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

const osvYaml = (extra: string): string => `id: PYSEC-2024-1\nmodified: "2024-01-01T00:00:00Z"\n${extra}\n`;
const spdxYaml = (extra: string): string => `spdxVersion: SPDX-2.3\n${extra}\n`;
const aliasBomb = [
  'a: &a [x, x, x, x, x, x, x, x, x]',
  ...Array.from(
    { length: 9 },
    (_, i) =>
      `b${i}: &b${i} [${Array(9)
        .fill(i === 0 ? '*a' : `*b${i - 1}`)
        .join(', ')}]`,
  ),
].join('\n');

/** The three readers of YAML from outside: intake (OSV), SBOM upload (SPDX 2 YAML), inventory's OSV files. */
const yamlReaders: [string, (extra: string) => string][] = [
  ['intake', (extra) => refusal(() => parseSubmission(osvYaml(extra)))],
  ['SBOM upload', (extra) => refusal(() => parseSbom(spdxYaml(extra)))],
  [
    'inventory OSV files',
    (extra) => loadOsv([{ name: 'advisory.yaml', read: () => Buffer.from(osvYaml(extra)) }]).skipped[0]?.reason ?? 'read',
  ],
];

describe.each(yamlReaders)('YAML read by %s: safe schema only', (_reader, answer) => {
  it.each([
    ['a language tag', 'summary: !!js/function "function () { return 1 }"', /Unresolved tag/],
    ['a custom tag', 'summary: !foo bar', /Unresolved tag/],
    ['an alias bomb', aliasBomb, /alias/i],
    ['flow collections nested 50,000 deep', `details: ${'['.repeat(50_000)}${']'.repeat(50_000)}`, /nest deeper than 128 levels/],
    ['a duplicate key', 'summary: a\nsummary: b', /unique/i],
  ])('refuses %s by name', (_what, extra, reason) => {
    expect(answer(extra)).toMatch(reason);
  });

  it('lets no merge key or __proto__ key reach a prototype', () => {
    answer('base: &b {__proto__: {polluted: yes}, constructor: {prototype: {polluted: yes}}}\nextra:\n  <<: *b');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
