import { spawn, type ChildProcess } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { filesBelow } from '#test-support/files.js';
import { keepChildLogs } from '#test-support/run-logs.js';
import { ROOT, spawnTs } from '#test-support/spawn.js';

const SOURCES = path.join(ROOT, 'src');
const COMPILED = path.join(ROOT, 'dist');

const mtime = (file: string): number | undefined => {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
};

/**
 * Why the compiled server (dist/, what bin/clearinghouse.js runs) is not the sources' own, or null when it is:
 * every source file the build compiles has its compiled file, written after the source last changed, and
 * the build's generated validators were written after the newest source. `npm ci` builds it (CI), so CI
 * starts it; a developer's dist is often older than the sources being edited, and then the sources run
 * through tsx.
 */
export function staleCompiledServer(): string | null {
  const sources = filesBelow(SOURCES).filter(
    (f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.endsWith('.test.ts') && !f.includes(`${path.sep}test-support${path.sep}`),
  );
  let newest = 0;
  for (const source of sources) {
    const changed = mtime(source) ?? 0;
    newest = Math.max(newest, changed);
    const compiled = path.join(COMPILED, path.relative(SOURCES, source)).replace(/\.ts$/, '.js');
    const written = mtime(compiled);
    if (written === undefined) return `${path.relative(ROOT, compiled)} is missing`;
    if (written < changed) return `${path.relative(ROOT, source)} changed after it was compiled`;
  }
  const validators = filesBelow(path.join(COMPILED, 'validators'));
  if (validators.length === 0) return 'dist/validators is missing';
  for (const file of validators) if ((mtime(file) ?? 0) < newest) return `${path.relative(ROOT, file)} is older than the sources`;
  return null;
}

let decided: { stale: string | null } | undefined;

/**
 * `clearinghouse ARGS` in a child process: the compiled CLI when it is current (a start costs about half the
 * CPU of one through tsx, which resolves and transforms the whole import graph in every process), else the
 * sources through tsx, saying why once.
 */
export function spawnClearinghouse(args: readonly string[], env: Record<string, string | undefined>): ChildProcess {
  if (decided === undefined) {
    decided = { stale: staleCompiledServer() };
    if (decided.stale !== null)
      console.warn(`servers run from the sources through tsx (slower): ${decided.stale}; \`npm run build\` to start the compiled one`);
  }
  if (decided.stale !== null) return spawnTs('src/app/main.ts', args, env);
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/clearinghouse.js'), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  keepChildLogs(child, `clearinghouse-${args[0] ?? ''}`);
  return child;
}
