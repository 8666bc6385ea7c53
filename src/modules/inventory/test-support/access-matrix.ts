import type { Call, ModuleMatrix } from '../../../../test/access-matrix/fixture.js';
import { osvRecord } from '../../../../test/access-matrix/reports.js';
import { anyOf, coordinatorMembers, coordinatorStaff, membersOf, type Audience, type World } from '../../../../test/access-matrix/world.js';
import type { Tlp } from '../../../platform/tlp.js';
import { submitDocument } from '../../intake/index.js';
import { createAsset } from '../service/assets.js';
import { uploadSbom } from '../service/sboms.js';
import { cycloneDx } from './fixtures.js';

/** The package every seeded advisory affects and the operator's SBOM runs. */
const PACKAGE = 'matrixwidget';

export interface InventoryWorld {
  readonly assetId: string;
  readonly sbomId: string;
  readonly assetName: string;
  readonly sbomBytes: Buffer;
  /** The background work the operator's upload queued: its organisation and the coordinator's staff follow it. */
  readonly uploadWorkId: string;
  /** Who may see the operator's inventory: its members and the coordinator. */
  readonly inventoryAudience: Audience;
  readonly advisories: { readonly id: string; readonly tlp: Tlp; readonly audience: Audience }[];
}

let serial = 0;

const osv = (id: string) => osvRecord(id, [], { ecosystem: 'npm', name: PACKAGE });

export function inventoryWorld(w: World): InventoryWorld {
  return w.get<InventoryWorld>('inventory');
}

export const inventoryMatrix: ModuleMatrix = {
  module: 'inventory',
  async seed(w) {
    // Advisories at every TLP, reported to intake as OSV by the researcher: they join the match engine shared as submitted.
    const reporter = w.member('researcher.analyst');
    const advisories: InventoryWorld['advisories'] = [];
    for (const tlp of w.tlps) {
      const pending = w.later();
      const id = `x_matrix-${w.canary(`${tlp} advisory id`, pending.audience)}`;
      w.tick();
      const answer = await submitDocument(w.t.as(reporter.user!), {
        bytes: osv(id),
        tlp,
        recipients: w.sharing(tlp),
      });
      const audience = pending.bind({ id: answer.submission.id, tlp, ownerOrgId: reporter.orgId!, createdBy: reporter.userId });
      advisories.push({ id, tlp, audience });
    }
    await w.t.runtime.jobs.drain();
    const operator = w.member('operator.analyst');
    const inventoryAudience = anyOf(membersOf(operator.orgId!), coordinatorMembers);
    const assetName = `Plant ${w.canary('asset name', inventoryAudience)}`;
    const asset = await createAsset(w.t.as(operator.user!), { name: assetName, criticality: 'high' });
    const component = w.canary('SBOM component', inventoryAudience);
    const sbomBytes = Buffer.from(
      cycloneDx([
        { name: PACKAGE, version: '1.0.0', purl: `pkg:npm/${PACKAGE}@1.0.0` },
        { name: component, version: '3.0.0', purl: `pkg:npm/${component}@3.0.0` },
      ]),
    );
    const uploaded = await uploadSbom(w.t.as(operator.user!), { assetId: asset.id, bytes: sbomBytes });
    w.plant(uploaded.work.id, 'SBOM upload work id', anyOf(membersOf(operator.orgId!), coordinatorStaff));
    w.tick();
    await w.t.runtime.jobs.drain();
    w.put<InventoryWorld>('inventory', {
      assetId: asset.id,
      sbomId: uploaded.sbom.id,
      uploadWorkId: uploaded.work.id,
      assetName,
      sbomBytes,
      inventoryAudience,
      advisories,
    });
  },
  fixtures: [
    {
      route: 'GET /api/v1/inventory/assets',
      cases: (w) => [{ label: 'mine' }, { label: "the operator's", query: { orgId: w.orgs.operator.orgId } }],
    },
    { route: 'GET /api/v1/inventory/assets/{id}', cases: (w) => [assetCall(w)] },
    { route: 'GET /api/v1/inventory/assets/{id}/sboms', cases: (w) => [assetCall(w)] },
    { route: 'GET /api/v1/inventory/sboms/{id}', cases: (w) => [sbomCall(w)] },
    { route: 'GET /api/v1/inventory/sboms/{id}/components', cases: (w) => [sbomCall(w), { ...sbomCall(w), query: { unmatched: 'true' } }] },
    { route: 'GET /api/v1/inventory/sboms/{id}/matches', cases: (w) => [sbomCall(w)] },
    { route: 'GET /api/v1/inventory/advisories', cases: () => [{ label: 'all', query: { limit: '500' } }] },
    { route: 'GET /api/v1/inventory/advisories/{id}', cases: (w) => advisoryCases(w) },
    { route: 'GET /api/v1/inventory/advisories/{id}/affected', cases: (w) => advisoryCases(w) },
    { route: 'GET /api/v1/inventory/advisories/{id}/exposure', cases: (w) => advisoryCases(w) },
    {
      route: 'GET /api/v1/inventory/exposure',
      cases: (w) => [{ label: 'mine' }, { label: "the operator's", query: { orgId: w.orgs.operator.orgId } }],
    },
    {
      route: 'POST /api/v1/inventory/assets',
      cases: (w) => [
        async (): Promise<Call> => ({ label: 'an asset of ours', body: { name: `Substation ${++serial}` } }),
        async (): Promise<Call> => ({
          label: "an asset of the operator's",
          body: { name: `Pump ${++serial}`, orgId: w.orgs.operator.orgId },
        }),
      ],
    },
    { route: 'PATCH /api/v1/inventory/assets/{id}', cases: (w) => [{ ...assetCall(w), body: { criticality: 'high' } }] },
    {
      route: 'POST /api/v1/inventory/assets/{id}/sboms',
      cases: (w) => [{ ...assetCall(w), raw: { contentType: 'application/json', bytes: inventoryWorld(w).sbomBytes } }],
    },
    {
      route: 'POST /api/v1/inventory/sboms',
      cases: (w) => [
        {
          label: 'the SBOM of the seeded asset',
          query: { asset: inventoryWorld(w).assetName, orgId: w.orgs.operator.orgId },
          raw: { contentType: 'application/json', bytes: inventoryWorld(w).sbomBytes },
        },
        async (): Promise<Call> => ({
          label: 'an SBOM of a new asset of ours',
          query: { asset: `Line ${++serial}` },
          raw: { contentType: 'application/json', bytes: inventoryWorld(w).sbomBytes },
        }),
      ],
    },
    {
      route: 'POST /api/v1/inventory/advisories',
      cases: () => [
        async (): Promise<Call> => ({
          label: 'a GREEN advisory',
          body: { record: JSON.parse(osv(`x_matrix-new-${++serial}`).toString()), tlp: 'GREEN' },
        }),
      ],
    },
    {
      route: 'POST /api/v1/inventory/advisories/import',
      cases: () => [
        async (): Promise<Call> => ({
          label: 'a batch of two GREEN advisories',
          body: {
            records: [
              { record: JSON.parse(osv(`x_matrix-batch-${++serial}`).toString()) },
              { record: JSON.parse(osv(`x_matrix-batch-${++serial}`).toString()) },
            ],
            tlp: 'GREEN',
            source: 'access-matrix',
          },
        }),
      ],
    },
  ],
};

function assetCall(w: World): Call {
  const i = inventoryWorld(w);
  return { label: "the operator's asset", params: { id: i.assetId }, subject: { label: 'asset', audience: i.inventoryAudience } };
}

function sbomCall(w: World): Call {
  const i = inventoryWorld(w);
  return { label: "the operator's SBOM", params: { id: i.sbomId }, subject: { label: 'SBOM', audience: i.inventoryAudience } };
}

function advisoryCases(w: World): Call[] {
  return inventoryWorld(w).advisories.map((a) => ({
    label: `${a.tlp} advisory`,
    params: { id: a.id },
    subject: { label: `${a.tlp} advisory`, audience: a.audience },
  }));
}
