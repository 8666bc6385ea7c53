import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import * as prettier from 'prettier';
import { describe, expect, it } from 'vitest';
import { MODULES, WIRED } from '../src/app/modules.js';
import { loadConfig } from '../src/platform/config.js';
import { eventVersion } from '../src/platform/events/index.js';
import { MODULE_NAMES, type ModuleDeclaration } from '../src/platform/module-declaration.js';

/**
 * The module contract (DESIGN §4): every module declares its dependencies and events in its module.ts;
 * this test holds the declarations equal to what the code does, and generates from them the dependency
 * rule that dependency-cruiser enforces (src/app/module-graph.json) and the module graph and event
 * catalogue (docs/modules.md). After changing a declaration: `npx vitest run test/module-contract.test.ts -u`.
 */

const root = resolve(__dirname, '..');
const modulesDir = join(root, 'src', 'modules');
const moduleDirs = readdirSync(modulesDir).filter((name) => statSync(join(modulesDir, name)).isDirectory());

async function declarationOf(name: string): Promise<ModuleDeclaration> {
  const exports = (await import(join(modulesDir, name, 'module.ts'))) as Record<string, unknown>;
  const declaration = exports[`${name}Module`] as ModuleDeclaration | undefined;
  if (declaration === undefined) throw new Error(`src/modules/${name}/module.ts exports no ${name}Module`);
  return declaration;
}

function* productFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'test-support' && !entry.name.startsWith('test')) yield* productFiles(path);
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) yield path;
  }
}

/** The other modules a module's product code imports (static, re-export or dynamic import). */
function usedModules(name: string): string[] {
  const used = new Set<string>();
  for (const file of productFiles(join(modulesDir, name))) {
    for (const match of readFileSync(file, 'utf8').matchAll(/(?:\bfrom|\bimport)\s*\(?\s*'(\.[^']+)'/g)) {
      const target = relative(modulesDir, resolve(dirname(file), match[1]!));
      const other = target.split(sep)[0]!;
      if (!target.startsWith('..') && other !== name) used.add(other);
    }
  }
  return [...used].sort();
}

/**
 * Module cycles still to be broken, each with what closes it. Removing the cause fails the test until the
 * entry goes too; a new cycle fails it at once.
 */
const KNOWN_CYCLES: Record<string, string> = {};

/** Whether `from` reaches `to` through the `uses` edges. */
function reaches(uses: ReadonlyMap<string, readonly string[]>, from: string, to: string, seen = new Set<string>()): boolean {
  if (from === to) return true;
  if (seen.has(from)) return false;
  seen.add(from);
  return (uses.get(from) ?? []).some((next) => reaches(uses, next, to, seen));
}

const sorted = (values: readonly string[]) => [...values].sort();

describe('the module contract', () => {
  it('every module folder has a declaration, and every declared name is a folder', async () => {
    expect(sorted(moduleDirs)).toEqual(sorted(MODULE_NAMES));
    for (const name of moduleDirs) expect((await declarationOf(name)).name).toBe(name);
  });

  it('each module depends on exactly the modules it declares', async () => {
    for (const name of moduleDirs) {
      expect({ module: name, dependsOn: usedModules(name) }).toEqual({
        module: name,
        dependsOn: sorted((await declarationOf(name)).dependsOn),
      });
    }
  });

  it("each module's events are named after it, and its consumers subscribe to what it declares it consumes", async () => {
    const noDeps = {
      contextFor: () => {
        throw new Error('no consumer runs in this test');
      },
      config: loadConfig({ CLEARINGHOUSE_DATA_DIR: '/nonexistent/clearinghouse-module-contract' }),
    } as unknown as Parameters<NonNullable<(typeof MODULES)[number]['consumers']>>[0];
    for (const name of moduleDirs) {
      const declaration = await declarationOf(name);
      for (const type of declaration.emits) expect(type.startsWith(`${name}.`), `${type} emitted by ${name}`).toBe(true);
      const parts = MODULES.find((m) => m.module.name === name);
      const subscribed = new Set((parts?.consumers?.(noDeps, WIRED) ?? []).flatMap((consumer) => consumer.types));
      expect({ module: name, consumes: sorted([...subscribed]) }).toEqual({ module: name, consumes: sorted(declaration.consumes) });
    }
  });

  it('the modules form an acyclic graph, apart from the cycles written down here with their reason', async () => {
    const declarations = await Promise.all(MODULE_NAMES.map(declarationOf));
    const uses = new Map(declarations.map((d) => [d.name as string, d.dependsOn as readonly string[]]));
    const cycles = new Set<string>();
    for (const [name, deps] of uses) {
      for (const dep of deps) if (reaches(uses, dep, name)) cycles.add([name, dep].sort().join(' <-> '));
    }
    expect(sorted([...cycles])).toEqual(sorted(Object.keys(KNOWN_CYCLES)));
  });

  it("the app wires every module by the wiring beside its index.ts, which carries the module's own declaration", async () => {
    expect(MODULES.map((m) => m.module.name)).toEqual([...MODULE_NAMES]);
    for (const name of MODULE_NAMES) {
      const wiring = MODULES.find((m) => m.module.name === name)!;
      expect(wiring.module).toBe(await declarationOf(name));
      expect(wiring.migrations.module).toBe(name);
    }
    await expect(await prettier.format(moduleList(), { parser: 'typescript', ...prettierOptions })).toMatchFileSnapshot(
      '../src/app/module-list.ts',
    );
  });

  it('a module contributes only to the extension points of modules it declares it uses', async () => {
    for (const wiring of MODULES) {
      for (const { point } of wiring.contributes ?? []) {
        const owner = point.id.split('.')[0]!;
        expect({ module: wiring.module.name, owner, declared: wiring.module.dependsOn.includes(owner as never) }).toEqual({
          module: wiring.module.name,
          owner,
          declared: true,
        });
      }
    }
  });

  it('generates the dependency rule and the catalogue from the declarations', async () => {
    const declarations = await Promise.all(MODULE_NAMES.map(declarationOf));
    const graph = Object.fromEntries(declarations.map((d) => [d.name, sorted(d.dependsOn)]));
    await expect(await prettier.format(JSON.stringify(graph), { ...prettierOptions, parser: 'json' })).toMatchFileSnapshot(
      '../src/app/module-graph.json',
    );
    const markdown = await prettier.format(catalogue(declarations), { ...prettierOptions, parser: 'markdown', proseWrap: 'preserve' });
    await expect(markdown).toMatchFileSnapshot('../docs/modules.md');
  });
});

const prettierOptions = (await prettier.resolveConfig(join(root, 'src', 'app', 'module-list.ts'))) ?? {};

/** src/app/module-list.ts: every module's wiring, in the order of MODULE_NAMES. */
function moduleList(): string {
  return [
    '// Generated by test/module-contract.test.ts from MODULE_NAMES (src/platform/module-declaration.ts): every',
    "// module's wiring, in that order. Do not edit; run `npx vitest run test/module-contract.test.ts -u`.",
    "import type { ModuleWiring } from '../platform/module-wiring.js';",
    ...MODULE_NAMES.map((name) => `import { ${name}Wiring } from '../modules/${name}/wiring.js';`),
    '',
    `export const MODULE_LIST: readonly ModuleWiring[] = [${MODULE_NAMES.map((name) => `${name}Wiring`).join(', ')}];`,
    '',
  ].join('\n');
}

function catalogue(declarations: readonly ModuleDeclaration[]): string {
  const consumersOf = (type: string) => declarations.filter((d) => d.consumes.includes(type as never)).map((d) => d.name);
  const lines = [
    '# Modules and events',
    '',
    'Generated from each module’s `module.ts` by `test/module-contract.test.ts` (regenerate with',
    '`npx vitest run test/module-contract.test.ts -u`); do not edit by hand. The same declarations give',
    'dependency-cruiser its rule that a module imports only the modules it declares (`src/app/module-graph.json`).',
    '',
    '## Modules',
    '',
    '| module | owns | uses |',
    '|---|---|---|',
    ...declarations.map((d) => `| \`${d.name}\` | ${d.owns} | ${d.dependsOn.map((n) => `\`${n}\``).join(', ') || '—'} |`),
    '',
    '## Graph',
    '',
    'An arrow points from a module to one it uses; events flow the other way, through the outbox.',
    '',
    '```mermaid',
    'graph TD',
    ...declarations.flatMap((d) => sorted(d.dependsOn).map((dep) => `  ${d.name} --> ${dep}`)),
    '```',
    '',
    '## Events',
    '',
    '| event | version | emitted by | consumed by |',
    '|---|---|---|---|',
    ...declarations.flatMap((d) =>
      sorted(d.emits).map(
        (type) =>
          `| \`${type}\` | ${eventVersion(type)} | \`${d.name}\` | ${
            consumersOf(type)
              .map((n) => `\`${n}\``)
              .join(', ') || '—'
          } |`,
      ),
    ),
    '',
  ];
  return lines.join('\n');
}
