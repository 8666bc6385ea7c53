import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { zipOf } from '../test-support/fixtures.js';
import { readZip } from './zip-reader.js';

const files = { 'a/GO-1.json': '{"id": "GO-1"}', 'b/PYSEC-2.yaml': 'id: PYSEC-2\n'.repeat(50), 'empty.json': '' };

describe('readZip', () => {
  for (const options of [{}, { stored: true }, { zip64: true }]) {
    it(`reads every entry of an archive ${JSON.stringify(options)}`, () => {
      const entries = readZip(zipOf(files, options));
      expect(entries.map((e) => e.name)).toEqual(Object.keys(files));
      expect(Object.fromEntries(entries.map((e) => [e.name, e.read().toString()]))).toEqual(files);
    });
  }

  it('reads an archive made by Info-ZIP, directories left out', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'zip-'));
    try {
      writeFileSync(path.join(dir, 'one.json'), '{"id": "X-1"}');
      let made = true;
      try {
        execFileSync('zip', ['-q', '-r', 'out.zip', '.'], { cwd: dir });
      } catch {
        made = false;
      }
      if (!made) return; // no zip(1) on this machine: the in-code archives above cover the format
      const entries = readZip(readFileSync(path.join(dir, 'out.zip')));
      expect(entries.map((e) => e.name)).toEqual(['one.json']);
      expect(entries[0]?.read().toString()).toBe('{"id": "X-1"}');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses what is not a ZIP, and an entry whose CRC-32 does not match', () => {
    expect(() => readZip(Buffer.from('{"id": "not a zip at all, just JSON"}'))).toThrow(/no end-of-central-directory/);
    const zip = zipOf({ 'x.json': 'hello world' }, { stored: true });
    zip[30 + 'x.json'.length] = 'H'.charCodeAt(0);
    expect(() => readZip(zip)[0]?.read()).toThrow(/CRC-32/);
  });

  it('refuses an encrypted entry by name', () => {
    const zip = zipOf({ 'secret.json': '{}' }, { stored: true });
    const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    zip.writeUInt16LE(1, central + 8);
    expect(() => readZip(zip)[0]?.read()).toThrow(/secret.json is encrypted/);
  });
});
