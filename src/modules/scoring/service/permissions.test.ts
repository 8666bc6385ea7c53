import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import type { ServiceContext } from '../../../platform/context.js';
import { NotAllowedError, NotFoundError } from '../../../platform/errors.js';
import { ORG_KINDS, ROLES, holds, type Permission } from '../../identity/index.js';
import { epssCsv, kevCatalogJson, subject } from '../test-support/feeds.js';
import { scoreVectors } from './cvss-scores.js';
import { getDecision, prioritize, prioritizeMany } from './decisions.js';
import { deployerPriorities } from './deployer-priorities.js';
import { importEpssScores } from './epss-import.js';
import { setFeedSource, refreshFeeds } from './feed-sources.js';
import { importKevCatalog } from './kev-import.js';
import { policyInForce, updatePrioritizationPolicy } from './policy.js';
import { reprioritize } from './reprioritize.js';

// Who may do what in scoring is identity's one permission table, read by authorize(): every use case is
// allowed to exactly the holders of its permission, and a refusal names the permission it lacks.
type UseCase = { readonly name: string; readonly permission: Permission; readonly call: (ctx: ServiceContext) => Promise<unknown> };

const useCases = (subjectId: string): UseCase[] => [
  { name: 'prioritize', permission: 'scoring.decision.compute', call: (ctx) => prioritize(ctx, subject(subjectId)) },
  { name: 'prioritizeMany', permission: 'scoring.decision.compute', call: (ctx) => prioritizeMany(ctx, [subject(subjectId)]) },
  { name: 'reprioritize', permission: 'scoring.decision.compute', call: (ctx) => reprioritize(ctx, { reason: 'check' }) },
  {
    name: 'scoreVectors',
    permission: 'scoring.decision.compute',
    call: (ctx) => scoreVectors(ctx, subjectId, ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H']),
  },
  {
    name: 'importKevCatalog',
    permission: 'scoring.feed.manage',
    call: (ctx) => importKevCatalog(ctx, { data: kevCatalogJson('2026.06.01', '2026-06-01T12:00:00.000Z', []), source: 'kev' }),
  },
  {
    name: 'importEpssScores',
    permission: 'scoring.feed.manage',
    call: (ctx) => importEpssScores(ctx, { data: epssCsv('2026-06-01', [['CVE-2026-0001', 0.1, 0.5]]), source: 'epss' }),
  },
  {
    name: 'setFeedSource',
    permission: 'scoring.feed.manage',
    call: (ctx) => setFeedSource(ctx, 'kev', { url: 'https://feeds.example/kev.json', enabled: false }),
  },
  { name: 'refreshFeeds', permission: 'scoring.feed.manage', call: (ctx) => refreshFeeds(ctx) },
  {
    name: 'updatePrioritizationPolicy',
    permission: 'scoring.policy.update',
    call: async (ctx) => {
      const { version: _label, ...policy } = (await policyInForce(ctx.db.kysely)).policy;
      void _label;
      return updatePrioritizationPolicy(ctx, { policy, note: 'the same again' });
    },
  },
];

describeEachDatabase('scoring permissions', (dialect) => {
  const get = useTestRuntime(dialect);

  it('allows each use case to the holders of its permission only, naming the permission when it refuses', async () => {
    const t = get();
    await prioritize(t.system, subject('clu_seen'));
    for (const kind of ORG_KINDS) {
      const admin = kind === 'coordinator' ? t.coordinatorAdmin : await t.org(kind);
      for (const role of ROLES) {
        const member = role === 'admin' ? admin : await t.user(admin.orgId, role);
        const ctx = t.as(member);
        const who = `${kind} ${role}`;
        for (const { name, permission, call } of useCases(`clu_${kind}_${role}`)) {
          const outcome = await call(ctx).then(
            () => 'allowed',
            (error: unknown) => error,
          );
          if (holds(member.actor, permission)) expect(outcome, `${who}: ${name}`).toBe('allowed');
          else {
            expect(outcome, `${who}: ${name}`).toBeInstanceOf(NotAllowedError);
            expect((outcome as Error).message, `${who}: ${name}`).toContain(`(${permission})`);
          }
        }
        // A decision the caller may not read is not found; the holders read it.
        const read = await getDecision(ctx, 'clu_seen').then(
          () => 'read',
          (error: unknown) => error,
        );
        if (holds(member.actor, 'scoring.decision.read')) expect(read, who).toBe('read');
        else expect(read, who).toBeInstanceOf(NotFoundError);
        // Deployer priorities of the caller's own assets: the operator's members and the coordinator.
        const asset = { operatorId: member.orgId, assetId: 'ast_1', sector: 'energy', criticality: 'high', internetFacing: true } as const;
        const own = await deployerPriorities(ctx, { cveIds: [], assets: [asset] }).then(
          () => 'allowed',
          (error: unknown) => error,
        );
        if (holds(member.actor, 'scoring.priority.read', { ownerOrgId: member.orgId })) expect(own, who).toBe('allowed');
        else expect((own as Error).message, who).toContain('(scoring.priority.read)');
      }
    }
  });
});
