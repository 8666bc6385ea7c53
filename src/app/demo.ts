import type { ServiceContext } from '../platform/context.js';
import { ConflictError } from '../platform/errors.js';
import { createOrg, createToken, createUser, listOrgs, type BootstrapResult, type OrgKind, type Sector } from '../modules/identity/index.js';

interface CastMember {
  readonly name: string;
  readonly kind: OrgKind;
  readonly sectors: readonly Sector[];
  readonly admin: { readonly email: string; readonly name: string };
}

/**
 * A small, realistic cast: the parties the executive order brings together. Names of private parties are
 * invented; the agencies are the ones the order names.
 */
export const DEMO_CAST: readonly CastMember[] = [
  { name: 'Cybersecurity and Infrastructure Security Agency', kind: 'agency', sectors: ['information_technology'], admin: { email: 'lead@cisa.demo', name: 'CISA vulnerability lead' } },
  { name: 'National Security Agency', kind: 'agency', sectors: ['defense_industrial_base'], admin: { email: 'lead@nsa.demo', name: 'NSA cybersecurity lead' } },
  { name: 'Meridian AI', kind: 'model_developer', sectors: ['information_technology'], admin: { email: 'security@meridian-ai.demo', name: 'Meridian security lead' } },
  { name: 'Openwire Foundation', kind: 'vendor', sectors: ['information_technology'], admin: { email: 'security@openwire.demo', name: 'Openwire maintainer' } },
  { name: 'Gridworks Controls', kind: 'vendor', sectors: ['energy', 'critical_manufacturing'], admin: { email: 'psirt@gridworks.demo', name: 'Gridworks PSIRT' } },
  { name: 'Helix Medical Software', kind: 'vendor', sectors: ['healthcare_public_health'], admin: { email: 'psirt@helixmed.demo', name: 'Helix PSIRT' } },
  { name: 'Tri-County Electric Cooperative', kind: 'operator', sectors: ['energy'], admin: { email: 'ot-security@tricounty-electric.demo', name: 'Tri-County OT security' } },
  { name: 'Riverbend Water Authority', kind: 'operator', sectors: ['water'], admin: { email: 'it@riverbend-water.demo', name: 'Riverbend IT manager' } },
  { name: 'St. Aurelia Regional Hospital', kind: 'operator', sectors: ['healthcare_public_health'], admin: { email: 'ciso@staurelia.demo', name: 'St. Aurelia CISO' } },
  { name: 'Lakeshore Community Bank', kind: 'operator', sectors: ['financial_services'], admin: { email: 'security@lakeshorebank.demo', name: 'Lakeshore security officer' } },
  { name: 'Port of Easthaven', kind: 'operator', sectors: ['transportation'], admin: { email: 'cyber@easthaven-port.demo', name: 'Easthaven cyber lead' } },
];

export interface DemoOrg {
  readonly id: string;
  readonly name: string;
  readonly kind: string;
  readonly token: string;
}

/**
 * Fills an empty clearinghouse with the demo cast through the same service functions the API uses, and
 * returns each organisation with its admin's token. Refuses (ConflictError) when the cast is there already.
 */
export async function runDemo(ctx: ServiceContext, coordinator: BootstrapResult): Promise<DemoOrg[]> {
  const existing = await listOrgs(ctx, { limit: 500 });
  if (existing.items.some((o) => DEMO_CAST.some((c) => c.name === o.name))) {
    throw new ConflictError('the demo cast exists already in this database; use an empty data dir (CLEARINGHOUSE_DATA_DIR) for a fresh demo');
  }
  const coordinatorToken = await createToken(ctx, { userId: coordinator.admin.id, name: 'demo', expiresInDays: 30 });
  const orgs: DemoOrg[] = [{ id: coordinator.org.id, name: coordinator.org.name, kind: 'coordinator', token: coordinatorToken.token }];
  for (const member of DEMO_CAST) {
    const org = await createOrg(ctx, { name: member.name, kind: member.kind, sectors: [...member.sectors] });
    const { token } = await createUser(ctx, org.id, { email: member.admin.email, name: member.admin.name, role: 'admin' });
    orgs.push({ id: org.id, name: org.name, kind: org.kind, token: token.token });
  }
  return orgs;
}
