import type { FieldIssue } from '../../../platform/errors.js';
import { cpeTarget, packageTargetFromPurl, purlVersion } from '../../intake/index.js';

/**
 * A product a statement is about: a package URL, a CPE, or a vendor / product name / version, as CSAF's
 * product tree can name them. Purls are kept in the purl specification's canonical form, so that one package is one
 * product however it was spelt.
 */
export interface ProductRef {
  readonly purl: string | null;
  readonly cpe: string | null;
  /** The vendor's name for itself in the product tree; null to use the vendor organisation's name. */
  readonly vendor: string | null;
  /** Product name; from the purl's name when only a purl is given. */
  readonly name: string;
  readonly version: string | null;
}

// CPE 2.3 formatted string or CPE 2.2 URI, as CSAF 2.0's schema (`product_identification_helper.cpe`) defines it.
const CSAF_CPE =
  /^(cpe:2\.3:[aho*-](:(((\?*|\*?)([a-zA-Z0-9\-._]|(\\[\\*?!"#$%&'()+,/:;<=>@[\]^`{|}~]))+(\?*|\*?))|[*-])){5}(:(([a-zA-Z]{2,3}(-([a-zA-Z]{2}|[0-9]{3}))?)|[*-]))(:(((\?*|\*?)([a-zA-Z0-9\-._]|(\\[\\*?!"#$%&'()+,/:;<=>@[\]^`{|}~]))+(\?*|\*?))|[*-])){4})|([c][pP][eE]:\/[AHOaho]?(:[A-Za-z0-9._\-~%]*){0,6})$/;

const MAX_FIELD = 500;

function nameFromPurl(purl: string): string {
  const identity = packageTargetFromPurl(purl)?.identity ?? purl;
  const path = identity.replace(/^pkg:[^/]+\//, '');
  return decodeURIComponent(path);
}

/**
 * Reads a product reference (`{ purl?, cpe?, vendor?, name?, version? }`): at least a purl, a CPE or a name.
 * Problems are added to `issues` under `at`; the answer is only meaningful when none were added.
 */
export function readProductRef(value: unknown, at: string, issues: FieldIssue[]): ProductRef {
  const empty: ProductRef = { purl: null, cpe: null, vendor: null, name: '', version: null };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    issues.push({ pointer: at, detail: 'must be an object with a purl, a cpe or a name' });
    return empty;
  }
  const input = value as Record<string, unknown>;
  const known = ['purl', 'cpe', 'vendor', 'name', 'version'];
  for (const key of Object.keys(input))
    if (!known.includes(key)) issues.push({ pointer: `${at}/${key}`, detail: `is not a known field (known: ${known.join(', ')})` });
  const text = (key: string): string | null => {
    const v = input[key];
    if (v === undefined || v === null) return null;
    if (typeof v !== 'string' || v.trim() === '' || v.length > MAX_FIELD || /\p{Cc}/u.test(v)) {
      issues.push({ pointer: `${at}/${key}`, detail: `must be text of 1 to ${MAX_FIELD} characters without control characters` });
      return null;
    }
    return v.trim();
  };
  const rawPurl = text('purl');
  const rawCpe = text('cpe');
  let purl: string | null = null;
  if (rawPurl !== null) {
    const target = packageTargetFromPurl(rawPurl);
    if (target === null || !/^pkg:[A-Za-z.\-+][A-Za-z0-9.\-+]*\/.+/.test(target.purl))
      issues.push({ pointer: `${at}/purl`, detail: 'must be a package URL (pkg:type/namespace/name@version)' });
    else purl = target.purl;
  }
  let cpe: string | null = null;
  if (rawCpe !== null) {
    if (cpeTarget(rawCpe) === null || !CSAF_CPE.test(rawCpe))
      issues.push({ pointer: `${at}/cpe`, detail: 'must be a CPE 2.3 formatted string or a CPE 2.2 URI' });
    else cpe = rawCpe;
  }
  const name = text('name') ?? (purl === null ? null : nameFromPurl(purl));
  if (name === null && rawPurl === null) issues.push({ pointer: `${at}/name`, detail: 'is required unless a purl is given' });
  const version = text('version') ?? (purl === null ? null : purlVersion(purl));
  return { purl, cpe, vendor: text('vendor'), name: name ?? '', version };
}

/** The key under which one product has one statement per vulnerability and vendor. */
export function productKey(product: ProductRef): string {
  if (product.purl !== null) return `purl:${product.purl}`;
  if (product.cpe !== null) return `cpe:${product.cpe.toLowerCase()}`;
  return `name:${(product.vendor ?? '').toLowerCase()}/${product.name.toLowerCase()}@${product.version ?? ''}`;
}

/** How the product reads in a list: `ACME Widget 2.1`, with its purl when it has one. */
export function productLabel(product: ProductRef, vendorName: string | null = null): string {
  const vendor = product.vendor ?? vendorName;
  return [vendor, product.name, product.version].filter((p) => p !== null && p !== '').join(' ');
}
