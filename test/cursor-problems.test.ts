import { expect, it } from 'vitest';
import { encodeCursor } from '../src/platform/db/pagination.js';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestServer } from '#test-support/http.js';

// A cursor is opaque to clients, but a stale, truncated or hand-made one is their mistake, not the server's:
// 400 problem+json naming /cursor, on every database — also when the key inside does not fit the list's
// sort column (the audit trail sorts by an integer; PostgreSQL refuses a text there).
describeEachDatabase('cursors the server did not issue', (dialect) => {
  const get = useTestServer(dialect);

  it('answer 400 naming the cursor, on lists keyed by text and by integer', async () => {
    const server = get();
    const cursors = ['garbage', Buffer.from('{"k":1}').toString('base64url'), encodeCursor({ k: 'not a number', id: 'x' })];
    for (const list of ['/api/v1/audit', '/api/v1/clusters', '/api/v1/orgs']) {
      for (const cursor of cursors) {
        const answer = await server.call(server.coordinatorAdmin, 'GET', `${list}?cursor=${cursor}`);
        if (answer.status === 200 && cursor === cursors[2] && list !== '/api/v1/audit') continue; // a text key fits a text column
        expect(answer.status, `${list} with ${cursor}`).toBe(400);
        expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(answer.problem.errors?.map((e) => e.pointer)).toEqual(['/cursor']);
      }
    }
  });
});
