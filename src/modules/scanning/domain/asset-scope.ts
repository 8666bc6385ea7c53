import { appendTo } from '../../../platform/collections.js';
import { cidrCoveredBy, cidrsOverlap, type CidrBlock } from './cidr.js';
import { hostCovers, hostsOverlap, type HostPattern } from './hostname.js';
import { targetsOverlap, type ScanTarget } from './scan-target.js';

/**
 * Which declared assets a campaign's targets touch. A network target must lie wholly within what
 * operators declared (host names, CIDR blocks — several adjacent blocks together may hold it); a software
 * target (a product an operator runs) touches the assets that declared it but needs no declaration.
 */

export interface AssetDeclaration {
  readonly assetId: string;
  readonly hostnames: readonly HostPattern[];
  readonly cidrs: readonly CidrBlock[];
  /** Products the asset runs, as software targets (CPE, product, purl). */
  readonly products: readonly ScanTarget[];
}

export interface AssetReach {
  /** Asset id → the campaign's targets that touch it. */
  readonly touched: ReadonlyMap<string, readonly ScanTarget[]>;
  /** Network targets no declared asset holds entirely. */
  readonly undeclared: readonly ScanTarget[];
}

export function assetsTouchedBy(targets: readonly ScanTarget[], assets: readonly AssetDeclaration[]): AssetReach {
  const touched = new Map<string, ScanTarget[]>();
  const undeclared: ScanTarget[] = [];
  const touch = (assetId: string, target: ScanTarget): void => {
    if (!touched.get(assetId)?.includes(target)) appendTo(touched, assetId, target);
  };
  const allBlocks = assets.flatMap((a) => a.cidrs);
  for (const target of targets) {
    if (target.kind === 'cidr') {
      for (const a of assets) if (a.cidrs.some((c) => cidrsOverlap(c, target.block))) touch(a.assetId, target);
      if (!cidrCoveredBy(target.block, allBlocks)) undeclared.push(target);
    } else if (target.kind === 'hostname') {
      let covered = false;
      for (const a of assets) {
        if (a.hostnames.some((h) => hostsOverlap(h, target.host))) touch(a.assetId, target);
        if (a.hostnames.some((h) => hostCovers(h, target.host))) covered = true;
      }
      if (!covered) undeclared.push(target);
    } else {
      for (const a of assets) if (a.products.some((p) => targetsOverlap(p, target) !== null)) touch(a.assetId, target);
    }
  }
  return { touched, undeclared };
}
