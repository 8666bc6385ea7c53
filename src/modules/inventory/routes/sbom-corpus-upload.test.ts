import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestServer } from '#test-support/http.js';
import { describeWithData, sharedData } from '#test-support/shared-data.js';

/**
 * Every real SBOM example, uploaded over HTTP as an operator would send it: each is stored as a version
 * of an asset or refused with 4xx and a message naming what the file is — never a 500, never an empty
 * inventory accepted in silence.
 */
describeWithData('uploading every file under shared/data/sbom', 'sbom', () => {
  describeEachDatabase('on each database', (dialect) => {
    const get = useTestServer(dialect);

    it('stores each SBOM with its components, and refuses the rest with a clear reason', async () => {
      const server = get();
      const op = await server.org('operator', { sectors: ['communications'] });
      const root = sharedData('sbom');
      const files = readdirSync(root, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => path.join(e.parentPath, e.name))
        .sort();
      const outcomes = { stored: 0, refused: 0 };
      for (const [i, file] of files.entries()) {
        const type = file.endsWith('.xml') ? 'application/xml' : file.endsWith('.json') ? 'application/json' : 'text/plain';
        const response = await server.app.inject({
          method: 'POST',
          url: `/api/v1/inventory/sboms?asset=asset-${i}`,
          headers: { authorization: `Bearer ${op.token}`, 'content-type': type },
          payload: readFileSync(file),
        });
        const body = response.json<{ sbom?: { components: number }; detail?: string }>();
        const where = path.relative(root, file);
        if (response.statusCode === 201) {
          outcomes.stored += 1;
          expect([where, (body.sbom?.components ?? 0) > 0]).toEqual([where, true]);
        } else {
          outcomes.refused += 1;
          expect([where, response.statusCode]).toEqual([where, expect.toSatisfy((s: number) => [400, 413, 415].includes(s))]);
          expect([where, body.detail]).toEqual([where, expect.stringMatching(/^(CycloneDX|SPDX|text file|JSON|XML|empty file)[^:]*: ./)]);
        }
      }
      expect(outcomes.stored).toBeGreaterThan(80);
      expect(outcomes.stored + outcomes.refused).toBe(files.length);
    });
  });
});
