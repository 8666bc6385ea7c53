import { cidrSortKeys } from '../domain/cidr.js';
import type { ScanTarget } from '../domain/scan-target.js';
import type { TargetColumns } from './tables.js';

/** How a target is stored: its key and text, network bounds for CIDR blocks, the name for host names. */
export function targetColumns(target: ScanTarget): TargetColumns {
  const bounds = target.kind === 'cidr' ? cidrSortKeys(target.block) : null;
  return {
    kind: target.kind,
    target_key: target.key,
    text: target.text,
    net_low: bounds?.low ?? null,
    net_high: bounds?.high ?? null,
    host_name: target.kind === 'hostname' ? target.host.name : null,
  };
}
