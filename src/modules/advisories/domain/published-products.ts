import type { PublishedProduct } from '../events.js';
import type { AdvisoryStatement } from './advisory-source.js';

/** The products stated affected or fixed that have a package URL, each (purl, status) once with its fixed versions. */
export function publishedProducts(statements: readonly AdvisoryStatement[]): PublishedProduct[] {
  const out = new Map<string, { purl: string; status: 'affected' | 'fixed'; fixedVersions: Set<string> }>();
  for (const s of statements) {
    if ((s.status !== 'affected' && s.status !== 'fixed') || s.product.purl === null) continue;
    const key = `${s.status} ${s.product.purl}`;
    const entry = out.get(key) ?? { purl: s.product.purl, status: s.status, fixedVersions: new Set<string>() };
    if (s.status === 'fixed') for (const v of s.fixedVersions) entry.fixedVersions.add(v);
    out.set(key, entry);
  }
  return [...out.values()].map((p) => ({ purl: p.purl, status: p.status, fixedVersions: [...p.fixedVersions] }));
}
