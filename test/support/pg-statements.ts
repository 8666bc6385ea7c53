import pg from 'pg';
import { vi } from 'vitest';

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
