import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MODULE_NAMES } from '../src/platform/module-declaration.js';

/**
 * The module template (src/modules/README.md), checked: the files every module has, the sections of its
 * README, and queries only in `store/` (or a small module's `store.ts`, `<part>-store.ts`).
 */

const root = resolve(__dirname, '..');
const modulesDir = join(root, 'src', 'modules');

/** What every module has, whatever its size. */
const REQUIRED = ['module.ts', 'wiring.ts', 'index.ts', 'README.md', 'migrations/', 'domain/', 'test-support/'];

/** The sections of a module's README, by the start of their `## ` heading. */
const README_SECTIONS = ['Use cases', 'Tables', 'Events'];

function* productFiles(dir: string, withStores = false): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!['test-support', 'migrations', ...(withStores ? [] : ['store'])].includes(entry.name)) yield* productFiles(path, withStores);
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && (withStores || !/(^|-)store\.ts$/.test(entry.name)))
      yield path;
  }
}

/**
 * What makes a query: a query builder started (`db.selectFrom(…)`), a query run (`.execute()`, `.stream()`,
 * `executeQuery`: a builder a store lent and the caller runs is still a query outside the store), or a raw SQL
 * statement (`sql\`select …\``). A raw condition (`sql\`exists (select 1 …)\``, `sql\`1 = 1\``), as access
 * filters lend the stores, is not a query.
 */
const QUERY = new RegExp(
  [
    String.raw`\.(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\(`,
    String.raw`\.(execute|executeTakeFirst|executeTakeFirstOrThrow|stream)\(`,
    String.raw`\bexecuteQuery\(`,
    String.raw`\bsql(<[^>]*>)?\`\s*(select|insert|update|delete|with|create|drop|alter|analyze|vacuum|pragma)\b`,
  ].join('|'),
  'gi',
);

/**
 * A presenter's answer type is its response schema's `Static<typeof …>` (declared once, in the route schemas),
 * never an interface written beside the schema: a field added to one and not the other silently vanished from
 * the API. Checked on every `present…` function of every module, wherever in the module it is (store/ too): a
 * presenter in a service or store file (where intake's, governance's and audit's were) is held to the same rule. The
 * exceptions name the presenters whose answer is still a richer domain type than their schema, or a type
 * written by hand that no schema declares yet, with why.
 */
const PRESENTERS_NOT_STATIC: Readonly<Record<string, string>> = {
  'governance/presentHold':
    'service/record-walk.ts: LegalHold is the domain hold the retention decision reads (domain/legal-holds.ts), never an answer; the routes answer presentHoldRow',
  'governance/present':
    'store/retention-policy.ts: StoredRetentionTable is the stored policy version the purge, the plan and the save read (the rules as RetentionTable); the routes answer presentRetentionTable',
  'cases/present':
    'store/disclosure-policy.ts: PolicyVersion<DisclosurePolicy> is the stored policy version auto-open, embargo decisions and the save read, never an answer; the routes answer presentDisclosurePolicy',
};

function presentersNotStatic(name: string, text: string): string[] {
  const found: string[] = [];
  const presenter = /(?:export )?function (present\w*)\s*(?:<[^>]*>)?\((?:[^()]|\([^()]*\))*\)\s*:\s*([^{]+?)\s*\{/g;
  for (const [, fn, returned] of text.matchAll(presenter)) {
    const types = ((returned ?? '').match(/\b[A-Z]\w*/g) ?? []).filter((type) => type !== 'Promise');
    const handWritten = types.filter((type) => !new RegExp(`export type ${type} = Static<typeof \\w+>`).test(text));
    if (handWritten.length > 0 && PRESENTERS_NOT_STATIC[`${name}/${fn}`] === undefined) found.push(`${fn}: ${handWritten.join(', ')}`);
  }
  return found;
}

/**
 * A response schema's type is declared once: for every `export const XSchema` of a module's schema files (every
 * `*schemas.ts` of the module outside test-support/: route-schemas.ts, routes/schemas.ts, priority-schemas.ts, …),
 * no product file of the module (store/ too) declares a hand-written `interface X` or object `type X = {…}`; a
 * type named X is `Static<typeof XSchema>`. This sees the answers no `present…` function returns (a service
 * that returns its answer directly). The exceptions name a domain type X that is not the answer (the routes answer
 * a presenter's Static type, or the schema is checked against X with SchemaAgrees), with why.
 */
const SCHEMA_NAMES_HAND_WRITTEN: Readonly<Record<string, string>> = {
  'audit/VerifyResult':
    'domain/chain.ts: the chain walk’s union the CLI narrows on `ok`; the verify route answers VerifyAnswer (presentVerifyResult, Static of VerifyResultSchema)',
  'cases/Embargo':
    'domain/embargo.ts: the stored embargo the state machine decides by; the routes answer EmbargoView (presentEmbargo, Static of EmbargoSchema)',
  'governance/RetentionTable':
    'domain/retention-table.ts: the rules the retention decision reads; the routes answer RetentionTableView (presentRetentionTable)',
  'governance/Tombstone':
    'domain/retention-decision.ts: the tombstone the purge writes; the org export answers presenters.ts’ Tombstone (presentTombstone)',
  'frontier/PartnerCriteria':
    'domain/policy.ts: the criteria partner scoring reads; routes/schemas.ts checks the schema against it with SchemaAgrees',
  'frontier/ProgramMetrics':
    'domain/program-metrics.ts: the metrics the domain counts; routes/schemas.ts checks the schema against it with SchemaAgrees',
  'frontier/ReferenceThreshold':
    'domain/policy.ts: the reference values the report compares results with; routes/schemas.ts checks the schema against it with SchemaAgrees',
  'frontier/ReviewReport':
    'domain/review-report.ts: built and rendered as HTML in the domain, generic in the records it carries whole; routes/schemas.ts checks the schema against it, with the presenters’ records, with SchemaAgrees',
  'intake/Finding': 'domain/finding.ts: the finding the parsers produce; the routes answer FindingView (Static of FindingSchema)',
  'scoring/InputSource': 'domain/ssvc-input-sources.ts: the domain union; route-schemas.ts checks the schema against it with SchemaAgrees',
  'scoring/MissionWellbeingSource': 'domain/exposure.ts: the domain union; route-schemas.ts checks the schema against it with SchemaAgrees',
};

function schemaNamesHandWritten(name: string, schemas: string, text: string): string[] {
  const found: string[] = [];
  for (const [, type] of schemas.matchAll(/^export const (\w+)Schema\s*=/gm)) {
    const declared = new RegExp(`^(?:export )?(?:interface ${type}\\b|type ${type}\\b(?:<[^>\\n]*>)?\\s*=\\s*(?:\\|\\s*)?\\{)`, 'm');
    if (declared.test(text) && SCHEMA_NAMES_HAND_WRITTEN[`${name}/${type}`] === undefined) found.push(type ?? '');
  }
  return found;
}

describe('the module template', () => {
  it('is checked on every module: the folders under src/modules are the declared modules', () => {
    const folders = readdirSync(modulesDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    expect(folders).toEqual([...MODULE_NAMES].sort());
  });

  it.each(MODULE_NAMES.map((name) => [name]))('%s has the files every module has', (name) => {
    const missing = REQUIRED.filter((entry) => {
      const path = join(modulesDir, name, entry);
      return !existsSync(path) || (entry.endsWith('/') && !statSync(path).isDirectory());
    });
    expect(missing).toEqual([]);
  });

  it.each(MODULE_NAMES.map((name) => [name]))('%s keeps its README in the template’s sections', (name) => {
    const headings = readFileSync(join(modulesDir, name, 'README.md'), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('## '))
      .map((line) => line.slice(3));
    const missing = README_SECTIONS.filter((section) => !headings.some((heading) => heading.startsWith(section)));
    expect(missing).toEqual([]);
  });

  it('builds queries only in store/ (or a small module’s store.ts)', () => {
    const found: Record<string, number> = {};
    for (const name of MODULE_NAMES) {
      for (const file of productFiles(join(modulesDir, name))) {
        const calls = readFileSync(file, 'utf8').match(QUERY)?.length ?? 0;
        if (calls > 0) found[relative(root, file).split(sep).join('/')] = calls;
      }
    }
    expect(found).toEqual({});
  });

  it.each(MODULE_NAMES.map((name) => [name]))('%s presents the response schemas’ Static types', (name) => {
    const dir = join(modulesDir, name);
    const text = [...productFiles(dir, true)].map((file) => readFileSync(file, 'utf8')).join('\n');
    expect(presentersNotStatic(name, text)).toEqual([]);
  });

  it('names a presenter whose answer type is written by hand (the check can fail)', () => {
    const handWritten =
      'export interface Thing { readonly id: string }\nexport function presentThing(row: Row): Thing {\n  return row;\n}\n';
    expect(presentersNotStatic('example', handWritten)).toEqual(['presentThing: Thing']);
    const derived =
      'export type Thing = Static<typeof ThingSchema>;\nexport function presentThing(row: Row): Thing | null {\n  return row;\n}\n';
    expect(presentersNotStatic('example', derived)).toEqual([]);
    const inAService =
      'interface RegroupView { readonly id: string }\nfunction present(row: Row): RegroupView {\n  return row;\n}\nasync function presentAll(rows: Row[]): Promise<RegroupView[]> {\n  return rows;\n}\n';
    expect(presentersNotStatic('example', inAService)).toEqual(['present: RegroupView', 'presentAll: RegroupView']);
  });
  it.each(MODULE_NAMES.map((name) => [name]))('%s declares each response schema’s type once', (name) => {
    const files = [...productFiles(join(modulesDir, name), true)];
    const schemas = files.filter((file) => file.endsWith('schemas.ts')).map((file) => readFileSync(file, 'utf8'));
    const text = files.map((file) => readFileSync(file, 'utf8')).join('\n');
    expect(schemaNamesHandWritten(name, schemas.join('\n'), text)).toEqual([]);
  });

  it('names a type written by hand beside its response schema (the check can fail)', () => {
    const schemas = 'export const ThingSchema = Type.Object({ id: Str });\nexport const OtherSchema = Type.Object({});\n';
    expect(schemaNamesHandWritten('example', schemas, 'export interface Thing {\n  readonly id: string;\n}\n')).toEqual(['Thing']);
    expect(schemaNamesHandWritten('example', schemas, 'type Other = { readonly id: string };\n')).toEqual(['Other']);
    expect(schemaNamesHandWritten('example', schemas, 'export type Thing = Static<typeof ThingSchema>;\n')).toEqual([]);
    expect(schemaNamesHandWritten('example', schemas, "import { type Thing } from './x.js';\nexport interface Things {}\n")).toEqual([]);
  });
});
