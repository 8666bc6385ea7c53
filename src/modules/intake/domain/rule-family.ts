import { vulnerabilityIdsInText } from './vulnerability-ids.js';

/**
 * The part of a scanner rule id that names *what* was found, without what drifts between runs: package
 * scanners put the vulnerability id, the package and its version into the rule id (grype
 * `CVE-1999-0001-package-1`, Trivy `image:1.24.1 (alpine 3.14.2): libcurl-7.78.0-r0 CVE-2021-22945`), so
 * there the family is the vulnerability id; elsewhere it is the rule id, lower-cased, with dotted version
 * numbers replaced by `#`.
 */
export function ruleFamily(ruleId: string): string {
  const ids = vulnerabilityIdsInText(ruleId);
  if (ids.length > 0) return ids.sort().join(',');
  return ruleId
    .trim()
    .toLowerCase()
    .replace(/(?<![a-z0-9])v?\d+(\.\d+)+([-+~][0-9a-z.]+)?(?![0-9a-z])/g, '#');
}
