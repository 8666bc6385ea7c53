import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { openRuntime } from '../../app/runtime.js';
import { buildServer } from '../../app/server.js';
import { loadConfig } from '../../platform/config.js';
import { testLogger } from '#test-support/run-logs.js';
import { cli, useCliDatabase } from '#test-support/cli.js';
import { describeEachDatabase } from '#test-support/databases.js';
import { inspectEvalArchive, inspectJsonLog, zstdInit } from './test-support/eval-archive.js';

beforeAll(() => zstdInit());

describeEachDatabase('clearinghouse frontier CLI', (dialect) => {
  const database = useCliDatabase(dialect);

  const json = async <T>(...argv: string[]): Promise<T> => {
    const result = await cli(database().env, ...argv, '--json');
    if (result.code !== 0) throw new Error(`${argv.join(' ')} exited ${result.code}: ${result.stderr}`);
    return result.json<T>();
  };

  it('opens a review starting now', async () => {
    const lab = await json<{ id: string }>('org', 'create', '--name', 'Meridian AI', '--kind', 'model_developer');
    const model = await json<{ id: string }>(
      'frontier',
      'model',
      'register',
      '--developer',
      lab.id,
      '--name',
      'Atlas',
      '--model-version',
      '3.0',
      '--planned-release',
      '2026-09-01',
    );
    const before = Date.now();
    const review = await json<{ windowStart: string }>('frontier', 'review', 'open', '--model', model.id, '--start', 'now', '--days', '30');
    expect(Date.parse(review.windowStart)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(review.windowStart)).toBeLessThanOrEqual(Date.now());
  });

  it('runs a review on the local database: open (refused over the maximum), grant, import, show, report, end', async () => {
    const { target, env } = database();
    const lab = await json<{ id: string }>('org', 'create', '--name', 'Meridian AI', '--kind', 'model_developer');
    const agency = await json<{ id: string }>('org', 'create', '--name', 'CISA', '--kind', 'agency');
    const model = await json<{ id: string }>(
      'frontier',
      'model',
      'register',
      '--developer',
      lab.id,
      '--name',
      'Atlas',
      '--model-version',
      '3.0',
      '--planned-release',
      '2026-09-01',
    );
    // Open now: evaluations are recorded only while the window is open.
    const start = 'now';

    const refused = await cli(env, 'frontier', 'review', 'open', '--model', model.id, '--start', start, '--days', '45');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('at most 30 days under frontier policy version 1');
    expect(refused.stderr).toContain('/days');

    const review = await json<{ id: string; windowEnd: string }>(
      'frontier',
      'review',
      'open',
      '--model',
      model.id,
      '--start',
      start,
      '--days',
      '30',
      '--time-zone',
      'Europe/Berlin',
    );
    const grant = await cli(
      env,
      'frontier',
      'grant',
      'create',
      '--review',
      review.id,
      '--grantee',
      agency.id,
      '--scope',
      'hosted_api',
      '--expires',
      review.windowEnd,
    );
    expect(grant.code).toBe(0);
    expect(grant.stdout).toContain('hosted_api until');
    const late = await cli(
      env,
      'frontier',
      'grant',
      'create',
      '--review',
      review.id,
      '--grantee',
      agency.id,
      '--scope',
      'sandbox',
      '--expires',
      '2030-01-01T00:00:00Z',
    );
    expect(late.code).toBe(2);

    const file = path.join(target.dir, 'cybench.eval');
    writeFileSync(file, inspectEvalArchive({ metrics: { accuracy: '0.5', stderr: 'NaN' } }, 'zstd'));
    const imported = await cli(env, 'frontier', 'eval', 'import', file, '--review', review.id);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('cybench includes accuracy = 0.5');
    expect(imported.stdout).toContain('stderr = unscored');
    expect((await cli(env, 'frontier', 'eval', 'import', path.join(target.dir, 'missing.eval'), '--review', review.id)).code).toBe(2);

    const shown = await cli(env, 'frontier', 'review', 'show', review.id);
    expect(shown.stdout).toMatch(/open, closes in/);
    expect(shown.stdout).toMatch(/\+0[12]:00 \(Europe\/Berlin; 30 days; policy version 1\)/);
    expect(shown.stdout).toContain('review.opened');
    const html = await cli(env, 'frontier', 'review', 'report', review.id, '--html');
    expect(html.stdout.startsWith('<!doctype html>')).toBe(true);
    expect((await cli(env, 'frontier', 'metrics')).stdout).toContain('reviews 1 (scheduled 0, open 1');
    expect((await cli(env, 'frontier', 'policy', 'show')).stdout).toContain('policy version 1');
    const ended = await cli(env, 'frontier', 'review', 'end', review.id, '--reason', 'done');
    expect(ended.stdout).toContain(': ended, closed');
    expect((await cli(env, 'frontier', 'review', 'end', review.id)).code).toBe(1);
    expect((await cli(env, 'audit', 'verify')).code).toBe(0);
  });

  it('runs the program against a server: grants, raw-byte imports, and a partner selected by both sides', async () => {
    const { target, env } = database();
    const runtime = await openRuntime(loadConfig({ ...env, LOG_LEVEL: 'silent' }), testLogger());
    const app = await buildServer(runtime);
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const member = async (name: string, kind: string, sector?: string) => {
        const org = await json<{ id: string }>(
          'org',
          'create',
          '--name',
          name,
          '--kind',
          kind,
          ...(sector === undefined ? [] : ['--sector', sector]),
        );
        const user = await json<{ token: { token: string } }>(
          'user',
          'create',
          '--org',
          org.id,
          '--email',
          `admin@${name.toLowerCase().replace(/\W+/g, '')}.example`,
          '--name',
          `${name} admin`,
          '--role',
          'admin',
        );
        return { id: org.id, env: { CLEARINGHOUSE_URL: url, CLEARINGHOUSE_TOKEN: user.token.token } };
      };
      const lab = await member('Meridian AI', 'model_developer');
      const agency = await member('NSA', 'agency');
      const coop = await member('Tri-County Electric', 'operator', 'energy');
      const as = async <T>(who: { env: Record<string, string> }, ...argv: string[]): Promise<T> => {
        const result = await cli(who.env, ...argv, '--json');
        if (result.code !== 0) throw new Error(`${argv.join(' ')} exited ${result.code}: ${result.stderr}`);
        return result.json<T>();
      };

      const model = await as<{ id: string }>(
        lab,
        'frontier',
        'model',
        'register',
        '--name',
        'Atlas',
        '--model-version',
        '3.0',
        '--planned-release',
        '2026-09-01',
      );
      const review = await as<{ id: string; windowEnd: string }>(
        lab,
        'frontier',
        'review',
        'open',
        '--model',
        model.id,
        '--start',
        new Date().toISOString(),
        '--days',
        '20',
      );
      const tooLong = await cli(lab.env, 'frontier', 'review', 'extend', review.id, '--days', '11');
      expect(tooLong.code).toBe(2);
      expect(tooLong.stderr).toContain('at most 30 days');
      const grant = await as<{ id: string }>(
        lab,
        'frontier',
        'grant',
        'create',
        '--review',
        review.id,
        '--grantee',
        agency.id,
        '--scope',
        'weights_secure_enclave',
        '--expires',
        review.windowEnd,
      );
      expect(await as(agency, 'frontier', 'grant', 'acknowledge', grant.id)).toMatchObject({ status: 'active' });

      const logFile = path.join(target.dir, 'run.json');
      writeFileSync(logFile, inspectJsonLog());
      expect(await as(agency, 'frontier', 'eval', 'import', logFile, '--review', review.id)).toMatchObject({
        filename: 'run.json',
        summary: { samples: { unscored: 1 } },
      });
      expect((await cli(lab.env, 'frontier', 'eval', 'import', logFile, '--review', review.id)).code).toBe(1);
      expect(
        await as(
          agency,
          'frontier',
          'eval',
          'benchmark',
          '--review',
          review.id,
          '--benchmark',
          'CVE-Bench',
          '--metric',
          'success_rate',
          '--value',
          '0.12',
        ),
      ).toMatchObject({ measurements: [{ benchmark: 'cve-bench' }] });

      const nomination = await as<{ id: string }>(
        lab,
        'frontier',
        'partner',
        'nominate',
        '--model',
        model.id,
        '--org',
        coop.id,
        '--rationale',
        'grid operator',
        '--vetted',
        '--ir-capacity',
        'dedicated',
      );
      const scored = await cli(agency.env, 'frontier', 'partner', 'score', nomination.id);
      expect(scored.stdout).toContain('sector_criticality (weight 0.3)');
      await as(lab, 'frontier', 'partner', 'approve', nomination.id);
      const twice = await cli(lab.env, 'frontier', 'partner', 'approve', nomination.id);
      expect(twice.code).toBe(1);
      expect(twice.stderr).toContain('signed off on this candidate already');
      // The second sign-off announces the selection and what it gave; the agency may not read the grants.
      const selected = await cli(agency.env, 'frontier', 'partner', 'approve', nomination.id, '--note', 'government side');
      expect(selected.stdout).toContain(`${coop.id} is a trusted partner for model ${model.id} — 1 grant issued on its running reviews`);
      expect(selected.stdout).toContain('the partner read the grants: `frontier grant list`');
      const listed = await as<{ items: { status: string; grants: { issued: number; readable: { reviewId: string }[] } }[] }>(
        lab,
        'frontier',
        'partner',
        'list',
        '--model',
        model.id,
      );
      expect(listed.items).toMatchObject([{ status: 'selected', grants: { issued: 1, readable: [{ reviewId: review.id }] } }]);
      const coopGrants = await as<{ items: { granteeOrgId: string }[] }>(coop, 'frontier', 'grant', 'list');
      expect(coopGrants.items.map((g) => g.granteeOrgId)).toEqual([coop.id]);

      const report = await cli(lab.env, 'frontier', 'review', 'report', review.id);
      expect(report.stdout).toContain('not a verdict');
      expect((await cli(lab.env, 'frontier', 'review', 'report', review.id, '--html')).stdout).toContain(
        '<h1>Review report: Atlas 3.0</h1>',
      );
      expect((await cli(coop.env, 'frontier', 'model', 'list')).stdout).toContain('Atlas');
    } finally {
      await app.close();
      await runtime.close();
    }
  });
});
