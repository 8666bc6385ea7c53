import type { Call, ModuleMatrix } from '../../../../test/access-matrix/fixture.js';
import { anyOf, coordinatorMembers, membersOf, type Audience, type World } from '../../../../test/access-matrix/world.js';
import { proposeAgreement } from '../service/agreements.js';

/** The agreement the read fixtures read: between the cast's model developer and agency, with canaried terms. */
interface AgreementsWorld {
  readonly agreementId: string;
  readonly parties: Audience;
}

const agreementsWorld = (w: World) => w.get<AgreementsWorld>('frontier.agreements');

/** Terms of a voluntary testing agreement between a developer and an agency, for tests. */
export function agreementTerms(confidentiality: string) {
  return {
    scope: { allModels: true },
    window: { defaultDays: 10, maxDays: 30 },
    releaseNoticeDays: 7,
    confidentiality,
    useTerms: 'assessment only',
    retention: { keep: ['evaluation_logs'], days: 60 },
    grantees: ['agency'],
    contacts: [
      { side: 'developer', name: 'D', email: 'd@lab.example', role: 'lead' },
      { side: 'government', name: 'G', email: 'g@agency.example', role: 'lead' },
    ],
  };
}

/** A fresh agreement the cast's developer proposed to a fresh agency: its developer-side admins may act on it. */
async function freshAgreement(w: World): Promise<{ id: string; parties: Audience }> {
  const agency = await w.t.org('agency');
  const agreement = await proposeAgreement(w.t.as(w.orgs.model_developer.admin.user!), {
    counterpartyOrgId: agency.orgId,
    terms: agreementTerms('matrix'),
  });
  w.tick();
  return { id: agreement.id, parties: anyOf(coordinatorMembers, membersOf(w.orgs.model_developer.orgId, agency.orgId)) };
}

export const agreementsMatrix: ModuleMatrix = {
  module: 'frontier agreements',
  async seed(w) {
    w.tick();
    const parties = anyOf(coordinatorMembers, membersOf(w.orgs.model_developer.orgId, w.orgs.agency.orgId));
    const agreement = await proposeAgreement(w.t.as(w.orgs.model_developer.admin.user!), {
      counterpartyOrgId: w.orgs.agency.orgId,
      title: `Agreement ${w.canary('agreement title', parties)}`,
      terms: agreementTerms(`Confidential ${w.canary('agreement confidentiality', parties)}`),
    });
    w.tick();
    w.put<AgreementsWorld>('frontier.agreements', { agreementId: agreement.id, parties });
  },
  fixtures: [
    { route: 'GET /api/v1/frontier/agreements', cases: () => [{ label: 'all' }] },
    {
      route: 'GET /api/v1/frontier/agreements/{id}',
      cases: (w) => [
        {
          label: 'the agreement',
          params: { id: agreementsWorld(w).agreementId },
          subject: { label: 'agreement', audience: agreementsWorld(w).parties },
        },
      ],
    },
    {
      route: 'POST /api/v1/frontier/agreements',
      cases: (w) => [
        async (): Promise<Call> => {
          const agency = await w.t.org('agency');
          w.tick();
          return { label: 'propose to a new agency', body: { counterpartyOrgId: agency.orgId, terms: agreementTerms('new') } };
        },
      ],
    },
    {
      route: 'POST /api/v1/frontier/agreements/{id}/versions',
      cases: (w) => [
        async (): Promise<Call> => {
          const { id, parties } = await freshAgreement(w);
          return {
            label: 'new terms',
            params: { id },
            body: { terms: agreementTerms('revised') },
            subject: { label: 'agreement', audience: parties },
          };
        },
      ],
    },
    {
      route: 'POST /api/v1/frontier/agreements/{id}/sign',
      cases: (w) => [
        async (): Promise<Call> => {
          const { id, parties } = await freshAgreement(w);
          return { label: 'sign version 1', params: { id }, body: { version: 1 }, subject: { label: 'agreement', audience: parties } };
        },
      ],
    },
    {
      route: 'POST /api/v1/frontier/agreements/{id}/end',
      cases: (w) => [
        async (): Promise<Call> => {
          const { id, parties } = await freshAgreement(w);
          return { label: 'end', params: { id }, body: { reason: 'voluntary' }, subject: { label: 'agreement', audience: parties } };
        },
      ],
    },
  ],
};
