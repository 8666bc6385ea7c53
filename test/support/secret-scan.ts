import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';

/**
 * The shapes a secret issued or accepted by the clearinghouse takes, as they could appear in a log line.
 * Each is the credential itself, not a mention of one: `token=REDACTED` and `"authorization":"[redacted]"`
 * are what redaction leaves and are not findings.
 */
export const SECRET_SHAPES: readonly { readonly name: string; readonly pattern: RegExp }[] = [
  { name: 'API token', pattern: /chx_[A-Za-z0-9_-]{20,}/ },
  { name: 'session secret', pattern: /chs_[A-Za-z0-9_-]{20,}/ },
  { name: 'webhook secret', pattern: /whsec_[A-Za-z0-9+/=_-]{16,}/ },
  {
    name: 'credential in a URL query',
    pattern: /[?&](?:token|access_token|api_key|apikey|secret|password|session)=(?!REDACTED\b)[^&\s"]{8,}/i,
  },
  { name: 'Authorization header value', pattern: /"authorization"\s*:\s*"(?:Bearer|Basic)\s+[^"]{8,}/i },
  { name: 'Cookie header value', pattern: /"cookie"\s*:\s*"[^"]*chx_session=[^";]{8,}/i },
  { name: 'CSRF header value', pattern: /"x-csrf-token"\s*:\s*"(?!\[redacted\])[^"]{8,}/i },
  { name: 'password field', pattern: /"(?:password|newPassword|currentPassword)"\s*:\s*"(?!\[redacted\])[^"]+"/ },
  { name: 'private key', pattern: /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY(?: BLOCK)?-----/ },
];

export interface SecretFinding {
  readonly file: string;
  readonly line: number;
  readonly shape: string;
  /** The line around the match with the secret itself cut to its first 8 characters. */
  readonly excerpt: string;
}

/** The secrets one log line carries, by shape. */
export function secretsInLine(line: string): { shape: string; match: string; index: number }[] {
  const found: { shape: string; match: string; index: number }[] = [];
  for (const { name, pattern } of SECRET_SHAPES) {
    const match = pattern.exec(line);
    if (match) found.push({ shape: name, match: match[0], index: match.index });
  }
  return found;
}

/** Every log file under `dir` (one level), line by line: the lines read and the secrets found. */
export async function scanLogDirectory(dir: string): Promise<{ files: number; lines: number; findings: SecretFinding[] }> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.log')).sort();
  const findings: SecretFinding[] = [];
  let lines = 0;
  for (const name of names) {
    const file = path.join(dir, name);
    let number = 0;
    for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
      number++;
      lines++;
      for (const hit of secretsInLine(line)) {
        const start = Math.max(0, hit.index - 60);
        const excerpt = `${line.slice(start, hit.index)}${hit.match.slice(0, 8)}…`;
        findings.push({ file, line: number, shape: hit.shape, excerpt });
      }
    }
  }
  return { files: names.length, lines, findings };
}
