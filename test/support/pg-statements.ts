import pg from 'pg';
import { expect, vi } from 'vitest';

/**
 * Runs `fn` and answers, with its result, the SQL text of every statement this process sent to PostgreSQL
 * meanwhile, in order (none on SQLite): for tests of round trips, which on PostgreSQL each cost a turn of the
 * event loop while a transaction, and the locks it holds, wait.
 */
export async function statementsSent<T>(fn: () => Promise<T>): Promise<{ readonly result: T; readonly sent: readonly string[] }> {
  const query = vi.spyOn(pg.Client.prototype, 'query');
  try {
    const result = await fn();
    const sent = query.mock.calls.map(([text]) => (typeof text === 'string' ? text : String((text as { text?: string }).text)));
    return { result, sent };
  } finally {
    query.mockRestore();
  }
}

/**
 * Requires that exactly one of the statements `sent` is the one `pick` selects, and that it holds each of
 * `parts`: writes that went together as one statement (writeTogether) on PostgreSQL.
 */
export function expectOneStatementHolding(sent: readonly string[], pick: (text: string) => boolean, parts: readonly string[]): void {
  const picked = sent.filter(pick);
  expect(picked).toHaveLength(1);
  for (const part of parts) expect(picked[0]).toContain(part);
}
