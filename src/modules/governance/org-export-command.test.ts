import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { cli, useCliDatabase } from '#test-support/cli.js';
import { describeEachDatabase } from '#test-support/databases.js';
import { nativeDocument, nativeFinding } from '../intake/test-support/native.js';

/**
 * `clearinghouse org-export`: an organisation's export of everything held about it (issue 18), from the CLI
 * as the API gives it — the organisation's own records only, another's never.
 */
describeEachDatabase('clearinghouse org-export', (dialect) => {
  const get = useCliDatabase(dialect);

  it("writes an organisation's records and tombstones as JSON, and says what it wrote", async () => {
    const { target, env } = get();
    const create = async (name: string) => {
      const id = (await cli(env, 'org', 'create', '--name', name, '--kind', 'researcher', '--json')).json<{ id: string }>().id;
      const email = `admin@${name.split(' ')[0]!.toLowerCase()}.example`;
      expect((await cli(env, 'user', 'create', '--org', id, '--email', email, '--name', 'Admin', '--role', 'admin')).code).toBe(0);
      return id;
    };
    const [kestrel, other] = [await create('Kestrel Vulnerability Research'), await create('Other Research')];
    const file = path.join(target.dir, 'scan.json');
    writeFileSync(file, nativeDocument([nativeFinding(), nativeFinding({ title: 'b', location: { path: 'b.py', function: 'b' } })]));
    expect((await cli(env, 'submit', file, '--org', kestrel, '--tlp', 'GREEN')).code).toBe(0);
    const elsewhere = path.join(target.dir, 'other.json');
    writeFileSync(elsewhere, nativeDocument([nativeFinding({ title: 'c', location: { path: 'c.py', function: 'c' } })]));
    expect((await cli(env, 'submit', elsewhere, '--org', other, '--tlp', 'GREEN')).code).toBe(0);

    const out = path.join(target.dir, 'kestrel-export.json');
    // One submission of two distinct findings, each of which started a cluster of its own.
    const written = await cli(env, 'org-export', '--org', kestrel, '--out', out);
    expect(written.code).toBe(0);
    expect(written.stderr.trim()).toBe(
      `wrote ${out}: Kestrel Vulnerability Research (${kestrel}): raw_submission 1, finding 2, cluster 2; 0 tombstones`,
    );
    const data = JSON.parse(readFileSync(out, 'utf8')) as {
      orgId: string;
      classes: { dataClass: string; records: { id?: string; owner_org_id?: string; title?: string }[] }[];
      tombstones: unknown[];
    };
    expect(data.orgId).toBe(kestrel);
    const findings = data.classes.find((c) => c.dataClass === 'finding')!.records;
    expect(findings).toHaveLength(2);
    expect(JSON.stringify(data)).not.toContain(other);
    expect(data.tombstones).toEqual([]);

    // Printed when no file is named; an unknown organisation is named in the error.
    const printed = await cli(env, 'org-export', '--org', other);
    expect(printed.code).toBe(0);
    expect(JSON.parse(printed.stdout)).toMatchObject({ orgId: other, orgName: 'Other Research' });
    const unknown = await cli(env, 'org-export', '--org', 'org_nope');
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('org_nope');
  });
});
