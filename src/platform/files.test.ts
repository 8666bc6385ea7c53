import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { filesUnder } from './files.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'files-under-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('filesUnder', () => {
  it('lists matching files at every depth, sorted, skipping dot directories and links', () => {
    for (const d of ['b/deep/er', 'a', '.git/objects', 'c/.cache']) mkdirSync(path.join(dir, d), { recursive: true });
    for (const f of ['z.json', 'a/1.yaml', 'a/notes.txt', 'b/deep/er/2.json', '.hidden.json', '.git/objects/x.json', 'c/.cache/y.json'])
      writeFileSync(path.join(dir, f), '{}');
    symlinkSync(path.join(dir, 'a'), path.join(dir, 'link-to-a'));
    symlinkSync(path.join(dir, 'z.json'), path.join(dir, 'link.json'));
    expect(filesUnder(dir, /\.(json|ya?ml)$/).map((f) => path.relative(dir, f))).toEqual(
      ['.hidden.json', 'a/1.yaml', 'b/deep/er/2.json', 'z.json'].map((f) => f.split('/').join(path.sep)),
    );
  });

  it('spells each path as path.join spells it, whatever the spelling of the directory', () => {
    mkdirSync(path.join(dir, 'sub', 'deeper'), { recursive: true });
    writeFileSync(path.join(dir, 'sub', 'deeper', 'x.json'), '{}');
    writeFileSync(path.join(dir, 'top.json'), '{}');
    const relative = path.relative(process.cwd(), dir) || '.';
    for (const spelling of [dir, `${dir}${path.sep}`, path.join(dir, '.', 'sub', '..'), relative, `.${path.sep}${relative}${path.sep}`])
      expect(filesUnder(spelling, /\.json$/), spelling).toEqual([
        path.join(spelling, 'sub', 'deeper', 'x.json'),
        path.join(spelling, 'top.json'),
      ]);
    expect(filesUnder(path.join(dir, 'sub', 'deeper'), /\.json$/)).toEqual([path.join(dir, 'sub', 'deeper', 'x.json')]);
    const cwd = process.cwd();
    try {
      process.chdir(dir);
      for (const spelling of ['.', '', `.${path.sep}`, `sub${path.sep}..`])
        expect(filesUnder(spelling, /\.json$/), spelling).toEqual([
          path.join(spelling, 'sub', 'deeper', 'x.json'),
          path.join(spelling, 'top.json'),
        ]);
    } finally {
      process.chdir(cwd);
    }
  });
});
