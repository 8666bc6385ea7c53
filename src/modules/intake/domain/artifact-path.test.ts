import { describe, expect, it } from 'vitest';
import { isAbsoluteUri, normalizeRelativePath, relativeToBase } from './artifact-path.js';

describe('normalizeRelativePath', () => {
  it('decodes, uses forward slashes and drops "." segments', () => {
    expect(normalizeRelativePath('src\\a%20b/./c.js')).toEqual({ path: 'src/a b/c.js', escaped: false, absolute: false });
  });

  it('resolves ".." inside the path and drops it, reported, above the root', () => {
    expect(normalizeRelativePath('src/x/../y.js')?.path).toBe('src/y.js');
    expect(normalizeRelativePath('../../rules/a.slic')).toEqual({ path: 'rules/a.slic', escaped: true, absolute: false });
  });

  it('reports absolute inputs and strips drive letters and file: schemes', () => {
    expect(normalizeRelativePath('/etc/passwd')).toEqual({ path: 'etc/passwd', escaped: false, absolute: true });
    expect(normalizeRelativePath('C:\\project\\src\\a.cs')?.path).toBe('project/src/a.cs');
    expect(normalizeRelativePath('file:///C:/project/a.cs')).toEqual({ path: 'project/a.cs', escaped: false, absolute: true });
  });

  it('keeps a lone percent sign, which is a character, not an encoding', () => {
    expect(normalizeRelativePath('100%.txt')?.path).toBe('100%.txt');
  });

  it('returns null when nothing is left', () => {
    expect(normalizeRelativePath('./')).toBeNull();
    expect(normalizeRelativePath('..')).toBeNull();
  });
});

describe('relativeToBase', () => {
  it('uses the longest containing base, case-insensitively for file URIs', () => {
    const bases = ['file:///C:/project//', 'file:///C:/project/src/'];
    expect(relativeToBase('file:///c:/project/src/Utilities.cs', bases)).toBe('Utilities.cs');
    expect(relativeToBase('file:///C:/project/lib/a.cs', bases)).toBe('lib/a.cs');
    expect(relativeToBase('file:///D:/elsewhere/a.cs', bases)).toBeNull();
  });

  it('does not let a base claim a sibling with a longer name', () => {
    expect(relativeToBase('https://h/srcfoo/a', ['https://h/src'])).toBeNull();
  });
});

describe('isAbsoluteUri', () => {
  it('tells schemes from drive letters and image references', () => {
    expect(isAbsoluteUri('file:///x')).toBe(true);
    expect(isAbsoluteUri('C:/x')).toBe(false);
    expect(isAbsoluteUri('docker.io/fluxcd/flux:1.24.1')).toBe(false);
  });
});
