import type { Executor } from '../../../platform/db/index.js';
import { purlForPackage } from '../../../platform/software/index.js';
import { packagesRun } from '../store/software-footprint.js';

/** One package operators run, keyed as intake and scanning key software (the version-free purl). */
export interface SoftwareRun {
  /** `pkg:<type>/<namespace>/<name>`, or null when the ecosystem has no purl type. */
  readonly purl: string | null;
  readonly ecosystem: string;
  readonly name: string;
  /** Distinct operator organisations whose current SBOMs list it. */
  readonly operators: number;
  /** The sectors of the assets that run it, sorted. */
  readonly sectors: readonly string[];
}

/**
 * The software operators run, from every asset's current SBOM (or one operator's, with `orgId`). A fact for
 * scanning's coverage gaps; not access-checked — the caller decides who may read what it derives.
 */
export async function softwareRunByOperators(
  executor: Executor,
  options: { readonly orgId?: string | undefined } = {},
): Promise<SoftwareRun[]> {
  const { packages, sectors } = await packagesRun(executor, options.orgId ?? null);
  const sectorsOf = new Map<string, Set<string>>();
  for (const s of sectors) {
    if (s.sector === null) continue;
    const key = `${s.ecosystem}\u0000${s.name}`;
    const set = sectorsOf.get(key) ?? new Set<string>();
    set.add(s.sector);
    sectorsOf.set(key, set);
  }
  return packages.map((p) => ({
    purl: purlForPackage(p.ecosystem, p.name),
    ecosystem: p.ecosystem,
    name: p.name,
    operators: p.operators,
    sectors: [...(sectorsOf.get(`${p.ecosystem}\u0000${p.name}`) ?? [])].sort(),
  }));
}
