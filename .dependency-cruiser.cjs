// The layering of DESIGN.md §4, checked on every `npm run lint` and in CI.
// Do not relax a rule to make a change pass: move the code to the layer it belongs to.
// The modules each module may use come from the modules' own declarations (src/modules/*/module.ts),
// written to src/app/module-graph.json by test/module-contract.test.ts.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- dependency-cruiser reads a CommonJS config
const moduleGraph = require('./src/app/module-graph.json');
const declaredDependencies = Object.entries(moduleGraph).map(([name, uses]) => ({
  name: `${name}-uses-only-declared-modules`,
  severity: 'error',
  comment: `src/modules/${name}/module.ts declares the modules it uses (${uses.join(', ') || 'none'}); it imports no other.`,
  from: { path: `^src/modules/${name}/`, pathNot: ['\\.test\\.ts$', '/test-support/'] },
  to: { path: '^src/modules/[^/]+/', pathNot: [`^src/modules/(${[name, ...uses].join('|')})/`] },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...declaredDependencies,
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'Modules and files form an acyclic graph; a later step reacts to an earlier one through events.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'platform-is-below-everything',
      severity: 'error',
      comment: 'platform/ is the kit every module uses; it knows no module and no app.',
      from: { path: '^src/platform/' },
      to: { path: '^src/(modules|app)/' },
    },
    {
      name: 'modules-only-through-index',
      severity: 'error',
      comment:
        'Another module is reached only through its index.ts, or its pure.ts (vocabulary and domain that load no database or HTTP), never its internals.',
      from: { path: '^src/modules/([^/]+)/' },
      to: { path: '^src/modules/([^/]+)/.+', pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/(index|pure)\\.ts$'] },
    },
    {
      name: 'app-uses-module-index',
      severity: 'error',
      comment:
        "The composition root wires modules through their public API and the wiring each declares beside it (wiring.ts); the CLI also loads a module's command files (commands.ts, commands/*.ts) on demand.",
      from: { path: '^src/app/' },
      to: {
        path: '^src/modules/[^/]+/.+',
        pathNot: ['^src/modules/[^/]+/(index|wiring)\\.ts$', '^src/modules/[^/]+/commands(\\.ts|/[^/]+\\.ts)$'],
      },
    },
    {
      name: 'app-loads-commands-lazily',
      severity: 'error',
      comment:
        "The CLI imports a module's command files only with import() when one of their commands runs (src/app/command-units.ts), so that --help and the other commands load none of them.",
      from: { path: '^src/app/' },
      to: { path: '^src/modules/[^/]+/commands(\\.ts|/[^/]+\\.ts)$', dependencyTypesNot: ['dynamic-import'] },
    },
    {
      name: 'nothing-imports-app',
      severity: 'error',
      comment: 'app/ is the composition root: the top of the graph.',
      from: { path: '^src/(platform|modules)/' },
      to: { path: '^src/app/' },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'domain/ holds pure logic: no database, no HTTP, no CLI, no routes, no Node I/O.',
      from: { path: '^src/modules/[^/]+/domain/' },
      to: {
        path: [
          '^src/platform/(http|db|cli|blobs|jobs)/',
          '^src/modules/[^/]+/(routes|commands|store|service)(\\.ts$|/)',
          '^(node:)?(fs|fs/promises|net|http|https|child_process|dgram|dns|tls|cluster|worker_threads)$',
          'fastify',
          'kysely',
          'better-sqlite3',
          '^pg$',
          'commander',
        ],
      },
    },
    {
      name: 'services-know-no-transport',
      severity: 'error',
      comment: 'Services and stores take (ctx, input) and return plain data; HTTP and CLI adapt them.',
      from: { path: '^src/modules/[^/]+/(service|store)(\\.ts$|/)' },
      to: { path: ['^src/platform/(http|cli)/', 'fastify', 'commander', '^src/modules/[^/]+/(routes|commands)(\\.ts$|/)'] },
    },
    {
      name: 'no-test-code-in-product',
      severity: 'error',
      from: { path: '^src/', pathNot: ['\\.test\\.ts$', '/test-support/'] },
      to: { path: ['\\.test\\.ts$', '/test-support/', '^test/'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['\\.test\\.ts$'] },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js'],
    },
  },
};
