import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { expect, it } from 'vitest';
import { useTestRuntime } from '#test-support/runtime.js';
import { describeWithData } from '#test-support/shared-data.js';
import { InputError } from '../../platform/errors.js';
import { submitDocument } from './service/submissions.js';
import { arr, corpusFiles, obj, shortName } from './test-support/corpus.js';

/**
 * Every OSV record of the shared corpus (PyPI, Go, crates.io) through the whole service on SQLite, and the
 * clusters compared with ones computed here independently: records are one vulnerability when their ids
 * and aliases connect, read straight from the files with a union-find of this test's own.
 */
describeWithData('every OSV record through intake', 'osv', () => {
  const get = useTestRuntime('sqlite');

  it('imports all of them, with no refusal, into alias-connected clusters', async () => {
    const files = [...corpusFiles('osv/pypi', /\.yaml$/), ...corpusFiles('osv/go', /\.json$/), ...corpusFiles('osv/crates-io', /\.json$/)];
    expect(files.length).toBeGreaterThan(8000);
    const { as, org } = get();
    const ctx = as(await org('researcher'));

    const parent = new Map<string, string>();
    const find = (x: string): string => {
      let root = x;
      while (parent.get(root) !== root) root = parent.get(root) ?? root;
      parent.set(x, root);
      return root;
    };
    const union = (a: string, b: string) => {
      for (const x of [a, b]) if (!parent.has(x)) parent.set(x, x);
      parent.set(find(a), find(b));
    };

    const refused: string[] = [];
    const clusterOfFile = new Map<string, string>();
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      try {
        const answer = await submitDocument(ctx, { bytes: Buffer.from(text), filename: shortName(file) });
        clusterOfFile.set(file, answer.findings[0]!.clusterId);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        refused.push(`${shortName(file)}: ${error.message}`);
        continue;
      }
      const doc = obj(file.endsWith('.yaml') ? parseYaml(text) : JSON.parse(text));
      const ids = [doc['id'], ...arr(doc['aliases'])]
        .filter((x): x is string => typeof x === 'string')
        .map((x) => (/^GHSA-/i.test(x) ? `GHSA-${x.slice(5).toLowerCase()}` : x));
      union(file, file);
      for (const id of ids) union(file, `id:${id}`);
    }
    expect(refused).toEqual([]);

    // Each independent group maps to exactly one cluster, and no cluster spans two groups.
    const clustersOfGroup = new Map<string, Set<string>>();
    const groupsOfCluster = new Map<string, Set<string>>();
    for (const [file, cluster] of clusterOfFile) {
      const group = find(file);
      clustersOfGroup.set(group, (clustersOfGroup.get(group) ?? new Set()).add(cluster));
      groupsOfCluster.set(cluster, (groupsOfCluster.get(cluster) ?? new Set()).add(group));
    }
    // A file's cluster is the one it was put in when submitted; later merges fold some of them together,
    // so compare through the clusters' survivors.
    const db = get().runtime.db.kysely;
    const merged = new Map(
      (await db.selectFrom('intake_cluster').select(['id', 'merged_into']).where('merged_into', 'is not', null).execute()).map(
        (r: { id: string; merged_into: string }) => [r.id, r.merged_into],
      ),
    );
    const survivor = (id: string): string => {
      let at = id;
      for (let i = 0; merged.has(at) && i < 100; i++) at = merged.get(at) ?? at;
      return at;
    };
    const split: string[] = [];
    for (const [group, clusters] of clustersOfGroup) {
      const survivors = new Set([...clusters].map(survivor));
      if (survivors.size !== 1) split.push(`${group}: ${[...survivors].join(', ')}`);
    }
    expect(split).toEqual([]);
    const survivorGroups = new Map<string, Set<string>>();
    for (const [cluster, groups] of groupsOfCluster)
      for (const g of groups) survivorGroups.set(survivor(cluster), (survivorGroups.get(survivor(cluster)) ?? new Set()).add(g));
    expect([...survivorGroups.values()].filter((g) => g.size > 1)).toEqual([]);
    const live = await db
      .selectFrom('intake_cluster')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('merged_into', 'is', null)
      .executeTakeFirstOrThrow();
    expect(Number(live.n)).toBe(clustersOfGroup.size);
    // About 8,200 durable submissions, each committed twice (stored, then processed): I/O-bound, not slow code.
  }, 600_000);
});
