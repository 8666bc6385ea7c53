import type { Call, ModuleMatrix } from '../../../../test/access-matrix/fixture.js';
import { adminsOf, anyOf, CAST_KINDS, coordinatorStaff, type Audience, type World } from '../../../../test/access-matrix/world.js';
import { DEFAULT_RETENTION_TABLE } from '../domain/retention-table.js';
import { tlpMarkingId } from '../domain/sharing/tlp-markings.js';
import { EXPORT_FORMAT_KEYS } from '../service/exports.js';
import { placeHold } from '../service/holds.js';
import { requestOrgRemoval } from '../service/removals.js';

/** The hold every read fixture reads, placed by the coordinator with a reason only its staff may read. */
interface GovernanceWorld {
  readonly holdId: string;
  /** The researcher's removal, asked for under the hold above (so its job removes nothing the other fixtures read). */
  readonly removalId: string;
  readonly removalAudience: Audience;
}

const coordinatorAdmins: Audience = (m) => m.kind === 'coordinator' && m.role === 'admin';

const governanceWorld = (w: World) => w.get<GovernanceWorld>('governance');

/** A fresh hold on a record of no one's, for the release fixture: every caller meets it in force. */
async function freshHold(w: World): Promise<string> {
  const hold = await placeHold(w.t.as(w.t.coordinatorAdmin), {
    scope: 'record',
    targetId: `rec_matrix_${w.tick().replace(/\D/g, '')}`,
    reason: 'matrix',
  });
  w.tick();
  return hold.id;
}

export const governanceMatrix: ModuleMatrix = {
  module: 'governance',
  async seed(w) {
    w.tick();
    const hold = await placeHold(w.t.as(w.t.coordinatorAdmin), {
      scope: 'org',
      targetId: w.orgs.researcher.orgId,
      reason: `Litigation ${w.canary('governance hold reason', coordinatorStaff)}`,
    });
    w.tick();
    const removalAudience = anyOf(adminsOf(w.orgs.researcher.orgId), coordinatorAdmins);
    const removal = await requestOrgRemoval(w.t.as(w.t.coordinatorAdmin), {
      orgId: w.orgs.researcher.orgId,
      reason: `Leaves ${w.canary('governance removal reason', removalAudience)}`,
    });
    w.tick();
    w.put<GovernanceWorld>('governance', { holdId: hold.id, removalId: removal.removal.id, removalAudience });
  },
  fixtures: [
    { route: 'GET /api/v1/governance/retention', cases: () => [{ label: 'in force' }] },
    { route: 'GET /api/v1/governance/retention/versions', cases: () => [{ label: 'versions' }] },
    {
      route: 'GET /api/v1/governance/retention/plan',
      cases: () => [{ label: 'plan now' }, { label: 'plan in ten years', query: { at: '2036-06-01T00:00:00.000Z' } }],
    },
    { route: 'GET /api/v1/governance/holds', cases: () => [{ label: 'all' }, { label: 'active', query: { active: 'true' } }] },
    { route: 'GET /api/v1/governance/holds/{id}', cases: (w) => [{ label: 'the hold', params: { id: governanceWorld(w).holdId } }] },
    {
      route: 'GET /api/v1/governance/exports/{format}',
      // Every format the code offers, for oneself and for every organisation of the cast (coordinator staff
      // export on its behalf): what each carries is checked against the recipient's audience as well.
      cases: (w) =>
        EXPORT_FORMAT_KEYS.flatMap((format) => [
          { label: `own ${format}`, params: { format } },
          ...CAST_KINDS.map((kind) => ({
            label: `${format} for the ${kind}`,
            params: { format },
            query: { recipientOrgId: w.orgs[kind].orgId },
            for: w.recipientOrg(w.orgs[kind].orgId),
          })),
        ]),
    },
    {
      route: 'GET /api/v1/governance/org-export',
      cases: (w) => [{ label: 'own organisation' }, { label: "the researcher's", query: { orgId: w.orgs.researcher.orgId } }],
    },
    {
      route: 'GET /api/v1/governance/removals/{id}',
      cases: (w) => [
        {
          label: "the researcher's removal",
          params: { id: governanceWorld(w).removalId },
          subject: { label: 'removal', audience: governanceWorld(w).removalAudience },
        },
      ],
    },
    { route: 'GET /api/v1/governance/transparency', cases: () => [{ label: 'last twelve months' }] },
    { route: 'GET /api/v1/governance/transparency.csv', cases: () => [{ label: 'csv' }] },
    { route: 'GET /transparency', cases: () => [{ label: 'page' }] },
    { route: 'GET /taxii2/', cases: () => [{ label: 'discovery' }] },
    { route: 'GET /taxii2/api/', cases: () => [{ label: 'api root' }] },
    { route: 'GET /taxii2/api/collections/', cases: () => [{ label: 'collections' }] },
    {
      route: 'GET /taxii2/api/collections/{id}/',
      cases: () => [
        { label: 'clear', params: { id: 'tlp-clear' } },
        { label: 'red', params: { id: 'tlp-red' } },
      ],
    },
    {
      route: 'GET /taxii2/api/collections/{id}/objects/',
      cases: (w) =>
        w.tlps.map((tlp) => ({
          label: `objects ${tlp}`,
          params: { id: `tlp-${tlp.toLowerCase().replace('+', '-')}` },
          query: { limit: '1000' },
        })),
    },
    {
      route: 'GET /taxii2/api/collections/{id}/manifest/',
      cases: (w) => w.tlps.map((tlp) => ({ label: `manifest ${tlp}`, params: { id: `tlp-${tlp.toLowerCase().replace('+', '-')}` } })),
    },
    {
      route: 'GET /taxii2/api/collections/{id}/objects/{objectId}/',
      cases: () => [{ label: 'the CLEAR marking', params: { id: 'tlp-clear', objectId: tlpMarkingId('CLEAR') } }],
    },
    {
      route: 'GET /taxii2/api/collections/{id}/objects/{objectId}/versions/',
      cases: () => [{ label: 'the GREEN marking', params: { id: 'tlp-green', objectId: tlpMarkingId('GREEN') } }],
    },
    {
      route: 'PUT /api/v1/governance/retention',
      cases: () => [{ label: 'the default again', body: { table: DEFAULT_RETENTION_TABLE, note: 'matrix' } }],
    },
    { route: 'POST /api/v1/governance/retention/purge', cases: () => [{ label: 'purge now' }] },
    {
      route: 'POST /api/v1/governance/holds',
      cases: () => [{ label: 'hold a case', body: { scope: 'case', targetId: 'case_matrix', reason: 'matrix hold' } }],
    },
    {
      route: 'POST /api/v1/governance/holds/{id}/release',
      cases: (w) => [async (): Promise<Call> => ({ label: 'release', params: { id: await freshHold(w) }, body: { note: 'done' } })],
    },
    {
      route: 'POST /api/v1/governance/removals',
      cases: (w) => [
        async (): Promise<Call> => {
          const leaving = await w.t.org('researcher');
          w.tick();
          return { label: 'a leaving organisation', body: { orgId: leaving.orgId, reason: 'leaves the program' } };
        },
      ],
    },
  ],
};
