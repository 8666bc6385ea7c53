import { InputError, type FieldIssue } from '../../../platform/errors.js';
import { SECTOR_KEYS, isSector, type Sector } from '../../identity/index.js';

/**
 * An operator's asset (a plant, a system, a product line) as the inventory describes it: the facts
 * exposure is weighed by. Criticality uses the same three levels as scoring's prioritization policy.
 */

export const ASSET_CRITICALITIES = ['low', 'moderate', 'high'] as const;
export type AssetCriticality = (typeof ASSET_CRITICALITIES)[number];

/** An affected asset as exposure is weighed by: the fact inventory lends scoring. */
export interface ExposedAsset {
  readonly operatorId: string;
  readonly assetId: string;
  readonly sector: Sector | null;
  readonly criticality: AssetCriticality;
  readonly internetFacing: boolean;
}

export const MAX_ASSET_NAME = 200;

export interface AssetFields {
  readonly name: string;
  readonly sector: Sector | null;
  readonly criticality: AssetCriticality;
  readonly internetFacing: boolean;
}

/** Two names that differ only by case or spacing name the same asset of an organisation. */
export function assetNameKey(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

function isCriticality(value: unknown): value is AssetCriticality {
  return typeof value === 'string' && (ASSET_CRITICALITIES as readonly string[]).includes(value);
}

function readName(input: { name?: unknown }, issues: FieldIssue[]): string | undefined {
  if (input.name === undefined) return undefined;
  const name = typeof input.name === 'string' ? input.name.trim().replace(/\s+/g, ' ') : '';
  if (name === '' || name.length > MAX_ASSET_NAME) issues.push({ pointer: '/name', detail: `must be 1 to ${MAX_ASSET_NAME} characters` });
  return name;
}

/**
 * Reads a change to an asset's fields; only the fields present are returned. `sector: null` clears it.
 * @throws InputError naming each bad field.
 */
export function parseAssetChanges(input: {
  name?: unknown;
  sector?: unknown;
  criticality?: unknown;
  internetFacing?: unknown;
}): Partial<AssetFields> {
  const issues: FieldIssue[] = [];
  const out: { -readonly [K in keyof AssetFields]?: AssetFields[K] } = {};
  const name = readName(input, issues);
  if (name !== undefined) out.name = name;
  if (input.sector !== undefined) {
    if (input.sector === null) out.sector = null;
    else if (typeof input.sector === 'string' && isSector(input.sector)) out.sector = input.sector;
    else issues.push({ pointer: '/sector', detail: `must be one of ${SECTOR_KEYS.join(', ')}` });
  }
  if (input.criticality !== undefined) {
    if (isCriticality(input.criticality)) out.criticality = input.criticality;
    else issues.push({ pointer: '/criticality', detail: `must be one of ${ASSET_CRITICALITIES.join(', ')}` });
  }
  if (input.internetFacing !== undefined) {
    if (typeof input.internetFacing === 'boolean') out.internetFacing = input.internetFacing;
    else issues.push({ pointer: '/internetFacing', detail: 'must be true or false' });
  }
  if (issues.length > 0) throw new InputError(`invalid asset: ${issues.map((i) => `${i.pointer} ${i.detail}`).join('; ')}`, issues);
  return out;
}

/**
 * Reads a new asset. Defaults: criticality `moderate`, not internet-facing, sector `defaultSector` (the
 * organisation's own when it works in exactly one).
 * @throws InputError naming each bad field (a missing name included).
 */
export function parseNewAsset(
  input: { name?: unknown; sector?: unknown; criticality?: unknown; internetFacing?: unknown },
  defaultSector: Sector | null,
): AssetFields {
  if (input.name === undefined) throw new InputError('an asset needs a name', [{ pointer: '/name', detail: 'is required' }]);
  const fields = parseAssetChanges(input);
  return {
    name: fields.name as string,
    sector: fields.sector === undefined ? defaultSector : fields.sector,
    criticality: fields.criticality ?? 'moderate',
    internetFacing: fields.internetFacing ?? false,
  };
}
