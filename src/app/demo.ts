import { asActor, type ServiceContext } from '../platform/context.js';
import { ConflictError } from '../platform/errors.js';
import { seedFrontierDemo } from '../modules/frontier/index.js';
import {
  adminActorOf,
  createOrg,
  createToken,
  createUser,
  listOrgs,
  type BootstrapResult,
  type OrgKind,
  type Sector,
} from '../modules/identity/index.js';
import { submitDocument } from '../modules/intake/index.js';
import { uploadSbom } from '../modules/inventory/index.js';
import { seedScanningDemo } from '../modules/scanning/index.js';
import { seedValidationDemo } from '../modules/validation/index.js';
import type { ProviderSettings } from '../modules/advisories/index.js';
import { playMainLine, type LineDemoView } from './demo-line.js';

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
  {
    name: 'Cybersecurity and Infrastructure Security Agency',
    kind: 'agency',
    sectors: ['information_technology'],
    admin: { email: 'lead@cisa.demo', name: 'CISA vulnerability lead' },
  },
  {
    name: 'National Security Agency',
    kind: 'agency',
    sectors: ['defense_industrial_base'],
    admin: { email: 'lead@nsa.demo', name: 'NSA cybersecurity lead' },
  },
  {
    name: 'Meridian AI',
    kind: 'model_developer',
    sectors: ['information_technology'],
    admin: { email: 'security@meridian-ai.demo', name: 'Meridian security lead' },
  },
  {
    name: 'Openwire Foundation',
    kind: 'vendor',
    sectors: ['information_technology'],
    admin: { email: 'security@openwire.demo', name: 'Openwire maintainer' },
  },
  {
    name: 'Gridworks Controls',
    kind: 'vendor',
    sectors: ['energy', 'critical_manufacturing'],
    admin: { email: 'psirt@gridworks.demo', name: 'Gridworks PSIRT' },
  },
  {
    name: 'Helix Medical Software',
    kind: 'vendor',
    sectors: ['healthcare_public_health'],
    admin: { email: 'psirt@helixmed.demo', name: 'Helix PSIRT' },
  },
  {
    name: 'Kestrel Vulnerability Research',
    kind: 'researcher',
    sectors: ['information_technology'],
    admin: { email: 'disclosure@kestrel-research.demo', name: 'Kestrel disclosure lead' },
  },
  {
    name: 'Tri-County Electric Cooperative',
    kind: 'operator',
    sectors: ['energy'],
    admin: { email: 'ot-security@tricounty-electric.demo', name: 'Tri-County OT security' },
  },
  {
    name: 'Riverbend Water Authority',
    kind: 'operator',
    sectors: ['water'],
    admin: { email: 'it@riverbend-water.demo', name: 'Riverbend IT manager' },
  },
  {
    name: 'St. Aurelia Regional Hospital',
    kind: 'operator',
    sectors: ['healthcare_public_health'],
    admin: { email: 'ciso@staurelia.demo', name: 'St. Aurelia CISO' },
  },
  {
    name: 'Lakeshore Community Bank',
    kind: 'operator',
    sectors: ['financial_services'],
    admin: { email: 'security@lakeshorebank.demo', name: 'Lakeshore security officer' },
  },
  {
    name: 'Port of Easthaven',
    kind: 'operator',
    sectors: ['transportation'],
    admin: { email: 'cyber@easthaven-port.demo', name: 'Easthaven cyber lead' },
  },
];

export interface DemoOrg {
  readonly id: string;
  readonly name: string;
  readonly kind: string;
  readonly token: string;
}

/** What the main line's demo needs: the provider's settings, and a way to run the background work. */
export interface MainLineOptions {
  readonly settings: ProviderSettings;
  readonly drain: () => Promise<void>;
}

/**
 * Fills an empty clearinghouse with the demo cast through the same service functions the API uses, and
 * returns each organisation with its admin's token; with `line`, also plays the main line to the end (an
 * accepted cluster, a case, a published advisory, the operators notified) and returns what each party sees.
 * Refuses (ConflictError) when the cast is there already.
 */
export async function runDemo(
  ctx: ServiceContext,
  coordinator: BootstrapResult,
  line?: MainLineOptions,
): Promise<{ orgs: DemoOrg[]; line: LineDemoView | null }> {
  const existing = await listOrgs(ctx, { limit: 500 });
  if (existing.items.some((o) => DEMO_CAST.some((c) => c.name === o.name))) {
    throw new ConflictError(
      'the demo cast exists already in this database; use an empty data dir (CLEARINGHOUSE_DATA_DIR) for a fresh demo',
    );
  }
  const coordinatorToken = await createToken(ctx, { userId: coordinator.admin.id, name: 'demo', expiresInDays: 30 });
  const orgs: DemoOrg[] = [{ id: coordinator.org.id, name: coordinator.org.name, kind: 'coordinator', token: coordinatorToken.token }];
  for (const member of DEMO_CAST) {
    const org = await createOrg(ctx, { name: member.name, kind: member.kind, sectors: [...member.sectors] });
    const { token } = await createUser(ctx, org.id, { email: member.admin.email, name: member.admin.name, role: 'admin' });
    orgs.push({ id: org.id, name: org.name, kind: org.kind, token: token.token });
  }
  const story = await playStory(ctx, orgs);
  if (line === undefined) return { orgs, line: null };
  await line.drain();
  const view = await playMainLine(ctx, { clusterId: story.validatedClusterId, orgIdOf: (name) => byName(orgs, name) }, line);
  return { orgs, line: view };
}

const byName = (orgs: readonly DemoOrg[], name: string): string => {
  const org = orgs.find((o) => o.name === name);
  if (org === undefined) throw new Error(`the demo cast has no ${name}`);
  return org.id;
};

/**
 * The story the cast plays, through the modules' own service functions: the hospital registers its patient
 * portal's SBOM; Meridian AI's scanner reports two findings, CISA reproduces one and the coordinator
 * invalidates the other as a false positive; Kestrel reports the reproduced one again as SARIF (a duplicate); Meridian's model is under a 30-day review with evaluations by
 * CISA and NSA, a model-found vulnerability (TLP:RED) and the cooperative selected as trusted partner by both
 * sides; CISA and NSA scan Django the same way in the same week (a conflict), NSA's fuzzing lease refuses
 * CISA's claim, and the cooperative's evening-peak blackout asks CISA's substation scan to stop. Background
 * work (deduplication, matching, prioritization) runs before the command returns.
 */
/** Kestrel's SARIF log: a crash in Openwire's frame parser, tagged with its CWE, at a nearby line. */
function kestrelSarif(): unknown {
  return {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: {
          driver: {
            name: 'kestrel-fuzz',
            version: '0.9.4',
            rules: [
              {
                id: 'KF-HEAP-OVERFLOW',
                shortDescription: { text: 'Heap buffer overflow reached by a fuzzed input' },
                properties: { tags: ['security', 'external/cwe/cwe-122'] },
              },
            ],
          },
        },
        versionControlProvenance: [{ repositoryUri: 'https://github.com/openwire/openwire', revisionId: '9f2c1e7a4b' }],
        results: [
          {
            ruleId: 'KF-HEAP-OVERFLOW',
            level: 'error',
            message: { text: 'WRITE of size 65535 past a 4096-byte heap buffer in parse_frame (continuation frame length 0xFFFF)' },
            locations: [
              {
                physicalLocation: { artifactLocation: { uri: 'src/proto/frame.c' }, region: { startLine: 214 } },
                logicalLocations: [{ name: 'parse_frame', fullyQualifiedName: 'parse_frame', kind: 'function' }],
              },
            ],
          },
        ],
      },
    ],
  };
}

async function playStory(ctx: ServiceContext, orgs: readonly DemoOrg[]): Promise<{ validatedClusterId: string }> {
  const hospital = byName(orgs, 'St. Aurelia Regional Hospital');
  const hospitalAdmin = await adminActorOf(ctx, hospital);
  await uploadSbom(asActor(ctx, hospitalAdmin), {
    asset: { name: 'patient-portal', sector: 'healthcare_public_health', criticality: 'high', internetFacing: true },
    bytes: Buffer.from(
      JSON.stringify({
        bomFormat: 'CycloneDX',
        specVersion: '1.5',
        version: 1,
        metadata: { component: { type: 'application', name: 'patient-portal', 'bom-ref': 'root' } },
        components: [
          { type: 'library', 'bom-ref': 'c1', name: 'django', version: '4.2.1', purl: 'pkg:pypi/django@4.2.1' },
          { type: 'library', 'bom-ref': 'c2', name: 'gopkg.in/yaml.v2', version: 'v2.2.3', purl: 'pkg:golang/gopkg.in/yaml.v2@v2.2.3' },
          { type: 'library', 'bom-ref': 'c3', name: 'lodash', version: '4.17.20', purl: 'pkg:npm/lodash@4.17.20' },
        ],
      }),
    ),
  });
  const lab = byName(orgs, 'Meridian AI');
  const cisa = byName(orgs, 'Cybersecurity and Infrastructure Security Agency');
  // A public advisory (TLP:CLEAR) that the portal's Django version falls inside: exposure becomes real.
  await submitDocument(asActor(ctx, await adminActorOf(ctx, cisa)), {
    filename: 'demo-advisory.json',
    bytes: Buffer.from(
      JSON.stringify({
        schema_version: '1.6.0',
        id: 'x_demo-2026-0001',
        modified: '2026-06-02T00:00:00Z',
        published: '2026-06-02T00:00:00Z',
        aliases: ['CVE-2023-36053'],
        summary: 'Potential regular expression denial of service in EmailValidator and URLValidator',
        affected: [
          {
            package: { ecosystem: 'PyPI', name: 'django' },
            ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '4.2' }, { fixed: '4.2.3' }] }],
          },
        ],
      }),
    ),
  });
  const nsa = byName(orgs, 'National Security Agency');
  const validation = await seedValidationDemo(ctx, { labOrgId: lab, agencyOrgId: cisa });
  // Kestrel's own fuzzer finds Meridian's overflow again and reports it as SARIF: the same repository, file,
  // function and CWE make the same fingerprint, so it joins Meridian's cluster as a duplicate, across formats.
  await submitDocument(asActor(ctx, await adminActorOf(ctx, byName(orgs, 'Kestrel Vulnerability Research'))), {
    filename: 'kestrel-fuzz-openwire.sarif',
    bytes: Buffer.from(JSON.stringify(kestrelSarif())),
    tlp: 'AMBER',
  });
  await seedFrontierDemo(ctx, {
    developerOrgId: lab,
    agencyOrgIds: [cisa, nsa],
    partnerOrgId: byName(orgs, 'Tri-County Electric Cooperative'),
  });
  await seedScanningDemo(ctx, { agencyOrgIds: [cisa, nsa], operatorOrgId: byName(orgs, 'Tri-County Electric Cooperative') });
  return { validatedClusterId: validation.validatedClusterId };
}
