import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';

/**
 * Secrets are compared in constant time: API tokens and session secrets by looking up their SHA-256
 * (the database compares hashes, never the secret), CSRF tokens, webhook signatures and signed links with
 * crypto.timingSafeEqual. This reads the source (a timing measurement would be flaky): no `===`/`!==`
 * compares a value named like a secret, and each comparison named in SECURITY.md is where it says.
 */

const SRC = path.join(import.meta.dirname, '..', 'src');
const SECRET_NAME = /\b\w*(token|secret|signature|csrf|mac|password)\w*\b/i;
const NOT_A_SECRET = /^(undefined|null|''|""|\d+|true|false)$|^typeof\b|\.length$|^['"]/;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'test-support' ? [] : sources(full);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [full] : [];
  });
}

it('no secret-named value is compared with === or !==', () => {
  const found: string[] = [];
  for (const file of sources(SRC)) {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, i) => {
      for (const m of line.matchAll(/([\w.?!\])]+)\s*(!==|===)\s*([\w.'"`?!()[\]]+)/g)) {
        const [left, right] = [m[1]!.replace(/^[()!]+/, ''), m[3]!.replace(/[()\];,]+$/, '')];
        // Booleans about secrets (hasToken) and the absence checks are not comparisons of secrets.
        if ([left, right].some((side) => /^(has|is)[A-Z]/.test(side.split('.').pop() ?? '') || side === '')) continue;
        if (NOT_A_SECRET.test(left) || NOT_A_SECRET.test(right)) continue;
        if (/\.(kind|type|status|scope|method|code|name|state|role|tokenId|id)$/.test(left) && !/secret|signature|csrf|mac/i.test(right))
          continue;
        if (SECRET_NAME.test(left.split('.').pop() ?? '') || SECRET_NAME.test(right.split('.').pop() ?? ''))
          found.push(`${path.relative(SRC, file)}:${i + 1}: ${line.trim()}`);
      }
    });
  }
  expect(found, 'compare secrets with timingSafeEqual or by their hash').toEqual([]);
});

it('tokens and sessions are found by hash, CSRF tokens, webhook signatures and links compared with timingSafeEqual', () => {
  const read = (file: string) => readFileSync(path.join(SRC, file), 'utf8');
  expect(read('modules/identity/service/tokens.ts')).toMatch(/findCredential\(deps\.db, hashTokenSecret\(secret\)\)/);
  expect(read('modules/identity/service/sessions.ts')).toMatch(/findSession\(deps\.db, sha256Hex\(secret\)\)/);
  for (const file of [
    'modules/identity/service/sessions.ts',
    'modules/notify/domain/webhook-signature.ts',
    'modules/notify/domain/remediation-link.ts',
  ])
    expect(read(file), file).toMatch(/timingSafeEqual\(given, expected\)/);
});
