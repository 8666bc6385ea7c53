import type { Tlp } from '../../platform/tlp.js';
import { defineEvent } from '../../platform/events/event-type.js';

/**
 * The events the inventory emits (DESIGN §4: later steps react through the outbox). Payloads are plain
 * JSON; every field is listed here, and consumers may rely on them.
 */

/** An advisory was created or its content, TLP or withdrawal changed. Subject: the advisory id. */
export const ADVISORY_CHANGED = defineEvent<AdvisoryChangedPayload>('inventory.advisory.changed');

/** A new SBOM version became an asset's inventory. Subject: the SBOM id; org: the operator. */
export const SBOM_UPLOADED = defineEvent<SbomUploadedPayload>('inventory.sbom.uploaded');

/**
 * The set of components one advisory matches changed — after the advisory changed (reverse match) or an
 * SBOM was uploaded (forward match) — or an affected asset's sector, criticality or internet exposure
 * changed. Subject: the advisory id. Scoring re-reads `exposureForAdvisory`;
 * notify targets `orgIds` and retracts for `clearedOrgIds`.
 */
export const EXPOSURE_CHANGED = defineEvent<ExposureChangedPayload>('inventory.exposure.changed');

export interface AdvisoryChangedPayload {
  readonly advisoryId: string;
  readonly aliases: readonly string[];
  readonly revision: number;
  readonly withdrawn: boolean;
  readonly tlp: Tlp;
}

export interface SbomUploadedPayload {
  readonly assetId: string;
  readonly sbomId: string;
  readonly version: number;
  readonly components: number;
  readonly affectedComponents: number;
}

export interface ExposureChangedPayload {
  readonly reason: 'advisory-changed' | 'sbom-uploaded' | 'asset-updated';
  readonly advisoryId: string;
  /** The advisory's aliases (CVE-…, GHSA-…), for consumers that key by them. */
  readonly aliases: readonly string[];
  /** The advisory's TLP: whoever passes these parties on must respect it. */
  readonly tlp: Tlp;
  /**
   * Among the parties this change touched (every one for an advisory change; the one asset for an upload or
   * an asset update): the operators, assets and sectors the advisory now affects (status `affected`).
   */
  readonly orgIds: readonly string[];
  readonly assetIds: readonly string[];
  readonly sectors: readonly string[];
  /** Operators and assets it affected before this change and no longer does. */
  readonly clearedOrgIds: readonly string[];
  readonly clearedAssetIds: readonly string[];
}
