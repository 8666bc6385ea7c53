import { asActor, type ServiceContext } from '../platform/context.js';
import { getAdvisory, generateAdvisory, publishAdvisory, type ProviderSettings } from '../modules/advisories/index.js';
import { addParticipant, decideStatement, getCase, moveEmbargo, openCase, setStatement } from '../modules/cases/index.js';
import { adminActorOf } from '../modules/identity/index.js';
import { uploadSbom } from '../modules/inventory/index.js';
import { advisoryRemediation, listInbox, listRemediation, reportRemediation, type AdvisoryNoticeData } from '../modules/notify/index.js';
import { setVerdict } from '../modules/validation/index.js';

/** What each party sees at the end of the main line, as the demo prints it. */
export interface LineDemoView {
  readonly caseNumber: string;
  readonly advisory: { readonly id: string; readonly trackingId: string; readonly version: number; readonly link: string | null };
  readonly parties: readonly { readonly name: string; readonly kind: string; readonly sees: string }[];
}

const PACKAGE = 'pkg:pypi/openwire';

function sbom(name: string, version: string): Buffer {
  return Buffer.from(
    JSON.stringify({
      bomFormat: 'CycloneDX',
      specVersion: '1.5',
      version: 1,
      metadata: { component: { type: 'application', name, 'bom-ref': 'root' } },
      components: [{ type: 'library', 'bom-ref': 'c1', name: 'openwire', version, purl: `${PACKAGE}@${version}` }],
    }),
  );
}

/**
 * The main line's last steps in the demo, through the modules' own use cases: the frame-parser overflow CISA
 * reproduced is accepted, a case opens with two vendors — the Openwire Foundation, whose 3.8.1 is affected and
 * fixed in 3.8.2, and Gridworks Controls, whose substation gateway bundles Openwire but never runs the frame
 * parser (not affected) — under the policy's default embargo that their first contact starts; the coordinator
 * approves both statements, ends the embargo and publishes the signed TLP:CLEAR advisory. The cooperative and
 * the hospital run 3.8.1 and are told (inbox, webhooks); the water authority runs 3.8.2 and hears nothing;
 * the hospital reports `patched`. `drain` runs the background work (the consumers that notify).
 */
export async function playMainLine(
  ctx: ServiceContext,
  cast: { readonly clusterId: string; readonly orgIdOf: (name: string) => string },
  options: { readonly settings: ProviderSettings; readonly drain: () => Promise<void> },
): Promise<LineDemoView> {
  const as = async (name: string) => asActor(ctx, await adminActorOf(ctx, cast.orgIdOf(name)));
  const coordinator = asActor(ctx, await adminActorOf(ctx));
  const vendor = await as('Openwire Foundation');
  const gridworks = await as('Gridworks Controls');
  const cooperative = await as('Tri-County Electric Cooperative');
  const hospital = await as('St. Aurelia Regional Hospital');
  const water = await as('Riverbend Water Authority');
  await uploadSbom(cooperative, {
    asset: { name: 'ems-gateway', sector: 'energy', criticality: 'high' },
    bytes: sbom('ems-gateway', '3.8.1'),
  });
  await uploadSbom(hospital, { asset: { name: 'imaging-gateway', criticality: 'moderate' }, bytes: sbom('imaging-gateway', '3.8.1') });
  await uploadSbom(water, { asset: { name: 'telemetry-relay', criticality: 'moderate' }, bytes: sbom('telemetry-relay', '3.8.2') });

  await setVerdict(coordinator, cast.clusterId, { state: 'accepted' });
  const opened = await openCase(coordinator, { clusterIds: [cast.clusterId], title: 'Heap buffer overflow in the Openwire frame parser' });
  await addParticipant(coordinator, opened.id, { orgId: cast.orgIdOf('Openwire Foundation') });
  await addParticipant(coordinator, opened.id, { orgId: cast.orgIdOf('Gridworks Controls') });
  const statement = await setStatement(vendor, opened.id, {
    clusterId: cast.clusterId,
    status: 'fixed',
    product: { purl: `${PACKAGE}@3.8.1` },
    fixedVersions: ['3.8.2'],
    fixUrl: 'https://openwire.demo/releases/3.8.2',
  });
  await decideStatement(coordinator, statement.id, { approve: true, version: statement.version });
  const unaffected = await setStatement(gridworks, opened.id, {
    clusterId: cast.clusterId,
    status: 'not_affected',
    product: { purl: 'pkg:generic/gridworks/substation-gateway@7.2.0' },
    justification: 'vulnerable_code_not_in_execute_path',
    impactStatement: 'The gateway links Openwire for its configuration format only; the frame parser is never called.',
  });
  await decideStatement(coordinator, unaffected.id, { approve: true, version: unaffected.version });
  const embargo = (await getCase(coordinator, opened.id)).embargo;
  await moveEmbargo(coordinator, opened.id, { action: 'end', reason: 'published' });
  const draft = await generateAdvisory(coordinator, opened.id, {}, options.settings);
  const published = await publishAdvisory(coordinator, draft.id, options.settings);
  await options.drain();
  await reportRemediation(hospital, { advisoryId: published.trackingId, status: 'patched', note: 'upgraded to 3.8.2' }, 'cli');

  const link = published.path === null ? null : `${options.settings.baseUrl}${published.path}`;
  const operatorSees = async (reader: ServiceContext): Promise<string> => {
    const inbox = await listInbox(reader, { type: 'advisory.published' }, {});
    const note = inbox.items[0];
    if (note === undefined) return 'nothing: it runs no affected version';
    const data = note.data as AdvisoryNoticeData;
    const fixed = [...new Set(data.assets.flatMap((a) => a.components.flatMap((c) => c.fixed)))].join(', ');
    const due = data.assets
      .map((a) => `${a.name} ${a.decision?.outcome ?? '?'} due ${a.decision?.dueAt?.slice(0, 10) ?? 'none'}`)
      .join('; ');
    const items = (await listRemediation(reader, { open: false, advisoryId: published.trackingId }, {})).items
      .map((i) => `${i.assetName}: ${i.status}`)
      .join(', ');
    return `inbox "${note.title}" (fixed in ${fixed}; ${due}); remediation ${items}; the document: ${data.publication?.link ?? ''}`;
  };
  const oversight = await advisoryRemediation(coordinator, published.trackingId);
  const vendorView = await getAdvisory(vendor, published.id);
  const gridworksView = await getAdvisory(gridworks, published.id);
  return {
    caseNumber: opened.number,
    advisory: { id: published.id, trackingId: published.trackingId, version: published.version, link },
    parties: [
      {
        name: 'Openwire Foundation',
        kind: 'vendor',
        sees: `advisory ${vendorView.trackingId} ${vendorView.status} (version ${vendorView.version}, TLP:${vendorView.tlp})`,
      },
      {
        name: 'Gridworks Controls',
        kind: 'vendor',
        sees: `its statement ${unaffected.status} (${unaffected.justification ?? ''}) approved; advisory ${gridworksView.trackingId} ${gridworksView.status}`,
      },
      { name: 'Tri-County Electric Cooperative', kind: 'operator', sees: await operatorSees(cooperative) },
      { name: 'St. Aurelia Regional Hospital', kind: 'operator', sees: await operatorSees(hospital) },
      { name: 'Riverbend Water Authority', kind: 'operator', sees: await operatorSees(water) },
      {
        name: 'coordinator',
        kind: 'coordinator',
        sees: `embargo ${embargo.state} until ${embargo.endsAt ?? 'none'}, ended at publication; ${oversight.operators.notified} operators notified, ${oversight.operators.acknowledged} acknowledged, ${oversight.operators.patched} patched`,
      },
    ],
  };
}
