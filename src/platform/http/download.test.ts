import { describe, expect, it } from 'vitest';
import { attachmentDisposition, safeMediaType } from './download.js';

describe('stored-file downloads', () => {
  it('name the file by its last path segment, without control characters or leading dots', () => {
    expect(attachmentDisposition('../../etc/passwd')).toBe(`attachment; filename="passwd"; filename*=UTF-8''passwd`);
    expect(attachmentDisposition('..\\..\\run.exe')).toBe(`attachment; filename="run.exe"; filename*=UTF-8''run.exe`);
    expect(attachmentDisposition('a\r\nSet-Cookie: x=1.txt')).toBe(
      `attachment; filename="aSet-Cookie_x_1.txt"; filename*=UTF-8''aSet-Cookie%3A%20x%3D1.txt`,
    );
    expect(attachmentDisposition('.htaccess')).toBe(`attachment; filename="htaccess"; filename*=UTF-8''htaccess`);
    expect(attachmentDisposition('...')).toBe(`attachment; filename="download"; filename*=UTF-8''download`);
    // RFC 8187: UTF-8, percent-encoded, with the characters RFC 5987's attr-char excludes encoded too.
    expect(attachmentDisposition("résumé (1)'.pdf")).toBe(
      `attachment; filename="r_sum_1_.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%281%29%27.pdf`,
    );
  });

  it('serve only allow-listed types as declared, everything else as application/octet-stream', () => {
    expect(safeMediaType('application/pdf')).toBe('application/pdf');
    expect(safeMediaType('Text/Plain; charset=latin1')).toBe('text/plain');
    for (const risky of [
      'text/html',
      'image/svg+xml',
      'application/xhtml+xml',
      'text/xml',
      'application/javascript',
      'text/markdown',
      '',
      null,
    ])
      expect(safeMediaType(risky)).toBe('application/octet-stream');
  });
});
