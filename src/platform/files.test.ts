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
});
