import { compareCodeUnits, compareDigitStrings, defineVersionOrder, type VersionOrder } from './version-order.js';

/**
 * NuGet's NuGetVersion with VersionComparer.Default: SemVer 2.0 extended to NuGet's legacy forms — one
 * to four numeric parts (1 = 1.0.0 = 1.0.0.0; the fourth is the legacy "revision"), leading zeros
 * allowed — then release labels compared label by label: numeric labels numerically and below
 * alphanumeric ones, alphanumeric labels case-insensitively (1.0.0-BETA == 1.0.0-beta); a release sorts
 * after its prereleases; build metadata after "+" is ignored.
 */

export interface NuGetVersion {
  /** Major, minor, patch, revision: digit strings without leading zeros ("" is zero). */
  readonly numbers: readonly [string, string, string, string];
  /** Release labels, upper-cased (NuGet compares them ignoring case). Empty for a release. */
  readonly labels: readonly string[];
}

const NUMBERS = /^\d+(?:\.\d+){0,3}$/;
const LABEL = /^[0-9A-Za-z-]+$/;

function parseNuGet(version: string): NuGetVersion | null {
  const trimmed = version.trim();
  const plus = trimmed.indexOf('+');
  const withoutMeta = plus === -1 ? trimmed : trimmed.slice(0, plus);
  if (
    plus !== -1 &&
    !trimmed
      .slice(plus + 1)
      .split('.')
      .every((p) => LABEL.test(p))
  )
    return null;
  const dash = withoutMeta.indexOf('-');
  const core = dash === -1 ? withoutMeta : withoutMeta.slice(0, dash);
  if (!NUMBERS.test(core)) return null;
  const labels = dash === -1 ? [] : withoutMeta.slice(dash + 1).split('.');
  if (!labels.every((l) => LABEL.test(l))) return null;
  const parts = core.split('.').map((p) => p.replace(/^0+/, ''));
  // NuGet stores each part as a 32-bit int.
  if (parts.some((p) => p.length > 10 || Number(p) > 2147483647)) return null;
  const [major = '', minor = '', patch = '', revision = ''] = parts;
  return { numbers: [major, minor, patch, revision], labels: labels.map((l) => l.toUpperCase()) };
}

function compareLabel(a: string, b: string): number {
  const an = /^\d+$/.test(a);
  const bn = /^\d+$/.test(b);
  if (an && bn) return compareDigitStrings(a, b);
  if (an !== bn) return an ? -1 : 1;
  return compareCodeUnits(a, b);
}

function compareNuGetParsed(a: NuGetVersion, b: NuGetVersion): number {
  for (let i = 0; i < 4; i++) {
    const d = compareDigitStrings(a.numbers[i] as string, b.numbers[i] as string);
    if (d !== 0) return d;
  }
  if (a.labels.length === 0 || b.labels.length === 0) return b.labels.length - a.labels.length;
  for (let i = 0; i < Math.min(a.labels.length, b.labels.length); i++) {
    const d = compareLabel(a.labels[i] as string, b.labels[i] as string);
    if (d !== 0) return d;
  }
  return a.labels.length - b.labels.length;
}

export const nugetOrder: VersionOrder<NuGetVersion> = defineVersionOrder({
  scheme: 'NuGetVersion',
  parse: parseNuGet,
  compareParsed: compareNuGetParsed,
});

/** Parses a NuGet version; null when NuGetVersion.TryParse would fail. */
export function parseNuGetVersion(version: string): NuGetVersion | null {
  return nugetOrder.parse(version);
}

/** Orders two NuGet versions (-1, 0, 1); never throws: invalid strings sort first. */
export function compareNuGet(a: string, b: string): number {
  return nugetOrder.compare(a, b);
}
