import { tlpRank, type Tlp } from '../../../platform/tlp.js';
import type { NotificationFacets } from './delivery-filter.js';

/**
 * What notify sends to the outside: one notification per receiving organisation, in the Standard Webhooks
 * payload shape (`type`, `timestamp`, `data`). The types are the public contract receivers subscribe to;
 * `data` carries `schemaVersion` so that it can grow without breaking them.
 */
export const NOTIFICATION_TYPES = {
  'advisory.published': 'a published advisory lists software that your assets run',
  'advisory.matched': 'an advisory without a coordinated case newly matches software that your assets run',
  'advisory.cleared': 'an advisory that matched your assets no longer does',
  'embargo.prenotice': 'a coordinator pre-notifies you, under embargo, of a vulnerability in software you run',
  'remediation.overdue': 'a remediation item is past its due date',
  'scan.stop_requested': 'someone asked your scan campaign to stop: stop it now, the stop contact is named',
  'scan.campaign.conflicted': 'your scan campaign overlaps another party’s on a target, window and technique',
  'scan.campaign.registered': 'a scan campaign was registered: yours, or one that touches your declared assets',
  'scan.campaign.started': 'a scan campaign’s window opened: yours, or one that touches your declared assets',
  'scan.campaign.stopped': 'a scan campaign was stopped or completed: yours, or one that touches your declared assets',
  'webhook.test': 'a test message sent on request',
} as const;
export type NotificationType = keyof typeof NOTIFICATION_TYPES;

export const NOTIFICATION_SCHEMA_VERSION = 1;

/** The spec recommends small payloads; an organisation with more affected assets gets the first ones and a count. */
export const MAX_ASSETS_PER_NOTIFICATION = 100;
export const MAX_COMPONENTS_PER_ASSET = 25;

export interface AffectedComponent {
  readonly purl: string | null;
  readonly version: string | null;
  /** Versions that fix it, ascending. */
  readonly fixed: readonly string[];
}

/** One of the receiving organisation's assets that runs an affected version. */
export interface AffectedAsset {
  readonly orgId: string;
  readonly assetId: string;
  readonly name: string;
  readonly sector: string | null;
  readonly criticality: string;
  readonly internetFacing: boolean;
  readonly components: readonly AffectedComponent[];
}

/** The SSVC deployer decision for one asset (scoring) and the deadline it sets. */
export interface AssetDecision {
  readonly outcome: string;
  /** Null when the policy sets no deadline for the outcome (`defer`). */
  readonly dueAt: string | null;
  readonly days: number | null;
  readonly policyVersion: string;
}

export interface AdvisoryReference {
  readonly id: string;
  readonly aliases: readonly string[];
  readonly summary: string | null;
  readonly tlp: Tlp;
}

/** The published CSAF advisory a notification is about (`advisory.published`): what the operator reads next. */
export interface PublicationNotice {
  /** The advisories module's id (`adv_…`). */
  readonly advisoryId: string;
  /** CSAF `document.tracking.id` (the case number), also the inventory advisory's id. */
  readonly trackingId: string;
  /** The published version this notification tells of; `revision` when it is not the first. */
  readonly version: number;
  readonly revision: boolean;
  readonly title: string;
  readonly tlp: 'CLEAR';
  /** The signed document where the CSAF provider serves it (TLP:CLEAR, no token needed). */
  readonly link: string;
  readonly publishedAt: string | null;
}

export interface AssetNotice {
  readonly assetId: string;
  readonly name: string;
  readonly sector: string | null;
  readonly criticality: string;
  readonly internetFacing: boolean;
  readonly components: AffectedComponent[];
  readonly componentsTotal: number;
  readonly decision: AssetDecision | null;
}

export interface AdvisoryNoticeData {
  readonly schemaVersion: number;
  readonly notificationId: string;
  readonly orgId: string;
  readonly tlp: Tlp;
  readonly advisory: AdvisoryReference;
  /** Under embargo: when it ends; the notice must not be shared before. */
  readonly embargo: { readonly endsAt: string } | null;
  /** The assets, soonest due first. */
  readonly assets: AssetNotice[];
  readonly assetsTotal: number;
  /** Where the operator reports remediation without a token, until `expiresAt`. */
  readonly remediation: { readonly link: string; readonly expiresAt: string } | null;
  /** `advisory.published`: the published advisory; null otherwise. */
  readonly publication: PublicationNotice | null;
}

export interface BuiltNotice {
  readonly data: AdvisoryNoticeData;
  readonly facets: NotificationFacets;
}

const byDueDate = (a: AssetNotice, b: AssetNotice) => {
  const da = a.decision?.dueAt ?? null;
  const db = b.decision?.dueAt ?? null;
  if (da !== db) return da === null ? 1 : db === null ? -1 : da < db ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : a.assetId < b.assetId ? -1 : 1;
};

/**
 * The notice one organisation receives about one advisory: its own affected assets and components, the
 * fixed versions, and each asset's deployer decision and due date. Redaction by construction: it is built
 * from that organisation's assets only, and an asset of another organisation is a programming error.
 */
export function buildAdvisoryNotice(input: {
  readonly type: Extract<NotificationType, 'advisory.published' | 'advisory.matched' | 'embargo.prenotice' | 'advisory.cleared'>;
  readonly notificationId: string;
  readonly orgId: string;
  readonly advisory: AdvisoryReference;
  readonly assets: readonly AffectedAsset[];
  readonly decisions: ReadonlyMap<string, AssetDecision>;
  readonly embargo?: { readonly endsAt: string } | null;
  readonly remediation?: { readonly link: string; readonly expiresAt: string } | null;
  readonly publication?: PublicationNotice | null;
}): BuiltNotice {
  for (const asset of input.assets) {
    if (asset.orgId !== input.orgId)
      throw new Error(`asset ${asset.assetId} belongs to ${asset.orgId}, not to the recipient ${input.orgId}`);
  }
  const tlp: Tlp = input.embargo
    ? tlpRank(input.advisory.tlp) > tlpRank('AMBER+STRICT')
      ? input.advisory.tlp
      : 'AMBER+STRICT'
    : input.advisory.tlp;
  const notices = input.assets
    .map((a): AssetNotice => ({
      assetId: a.assetId,
      name: a.name,
      sector: a.sector,
      criticality: a.criticality,
      internetFacing: a.internetFacing,
      components: a.components.slice(0, MAX_COMPONENTS_PER_ASSET).map((c) => ({ purl: c.purl, version: c.version, fixed: [...c.fixed] })),
      componentsTotal: a.components.length,
      decision: input.decisions.get(a.assetId) ?? null,
    }))
    .sort(byDueDate);
  const data: AdvisoryNoticeData = {
    schemaVersion: NOTIFICATION_SCHEMA_VERSION,
    notificationId: input.notificationId,
    orgId: input.orgId,
    tlp,
    advisory: { id: input.advisory.id, aliases: [...input.advisory.aliases], summary: input.advisory.summary, tlp: input.advisory.tlp },
    embargo: input.embargo ?? null,
    assets: notices.slice(0, MAX_ASSETS_PER_NOTIFICATION),
    assetsTotal: notices.length,
    remediation: input.remediation ?? null,
    publication: input.publication ?? null,
  };
  return {
    data,
    facets: {
      type: input.type,
      tlp,
      sectors: [...new Set(input.assets.flatMap((a) => (a.sector === null ? [] : [a.sector])))].sort(),
      purls: [...new Set(input.assets.flatMap((a) => a.components.flatMap((c) => (c.purl === null ? [] : [c.purl]))))].sort(),
    },
  };
}

/** The body every webhook carries, serialized once per notification: the bytes signed are the bytes sent. */
export function webhookBody(type: NotificationType, timestamp: string, data: unknown): string {
  return JSON.stringify({ type, timestamp, data });
}
