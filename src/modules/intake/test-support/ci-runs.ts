/**
 * SARIF logs as two CI machines write them for one scan: the first with paths relative to `%SRCROOT%` and
 * `partialFingerprints`, the other with its checkout's absolute paths, lines shifted by an edit above, and no
 * `partialFingerprints` (an older upload action, a converter that drops them).
 */

type Json = Record<string, unknown>;

const obj = (value: unknown): Json => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {});
const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

export interface OtherMachine {
  /** The absolute checkout folder, as a `file:` URI ending in `/`. */
  readonly checkout: string;
  /** Lines added above every result. */
  readonly shift: number;
  /** Write bare absolute paths (`/home/runner/…`) and declare no `originalUriBaseIds`, as some converters do. */
  readonly bare?: boolean;
}

export const GITHUB_RUNNER: OtherMachine = { checkout: 'file:///home/runner/work/sarif-sdk/sarif-sdk/', shift: 3 };

/** The same log as another machine writes it; `log` is left unchanged. */
export function onOtherMachine(log: unknown, machine: OtherMachine = GITHUB_RUNNER): Json {
  const copy = structuredClone(obj(log));
  for (const run of arr(copy['runs']).map(obj)) {
    const bases = obj(run['originalUriBaseIds']);
    for (const name of Object.keys(bases)) bases[name] = { uri: machine.checkout };
    if (machine.bare === true) delete run['originalUriBaseIds'];
    const absolute = (location: Json) => {
      const uri = location['uri'];
      if (typeof uri === 'string' && location['uriBaseId'] !== undefined) {
        const href = new URL(uri, machine.checkout);
        location['uri'] = machine.bare === true ? decodeURIComponent(href.pathname) : href.href;
        delete location['uriBaseId'];
      }
    };
    for (const artifact of arr(run['artifacts']).map(obj)) absolute(obj(artifact['location']));
    for (const result of arr(run['results']).map(obj)) {
      delete result['partialFingerprints'];
      delete result['fingerprints'];
      for (const location of arr(result['locations']).map(obj)) {
        const physical = obj(location['physicalLocation']);
        absolute(obj(physical['artifactLocation']));
        for (const key of ['region', 'contextRegion']) {
          const region = obj(physical[key]);
          for (const line of ['startLine', 'endLine'])
            if (typeof region[line] === 'number') region[line] = (region[line] as number) + machine.shift;
          delete region['charOffset'];
        }
      }
    }
  }
  return copy;
}

export interface SyntheticResult {
  readonly ruleId: string;
  readonly uri: string;
  readonly line: number;
  readonly snippet: string;
  readonly lineHash?: string;
  readonly message?: string;
}

/** A small SARIF 2.1.0 log of one run on one repository, with paths relative to `%SRCROOT%`. */
export function syntheticLog(results: readonly SyntheticResult[], repository = 'https://example.org/shop/shopfront'): Buffer {
  return Buffer.from(
    JSON.stringify({
      version: '2.1.0',
      runs: [
        {
          tool: {
            driver: { name: 'querygrep', version: '2.4.0', rules: [{ id: 'CWE-89', properties: { tags: ['external/cwe/cwe-089'] } }] },
          },
          originalUriBaseIds: { '%SRCROOT%': { uri: 'file:///builds/shop/shopfront/' } },
          versionControlProvenance: [{ repositoryUri: repository, revisionId: '0123456789abcdef0123456789abcdef01234567' }],
          results: results.map((r) => ({
            ruleId: r.ruleId,
            level: 'error',
            message: { text: r.message ?? 'Query built from request data' },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: r.uri, uriBaseId: '%SRCROOT%' },
                  region: { startLine: r.line, snippet: { text: r.snippet } },
                },
              },
            ],
            ...(r.lineHash === undefined ? {} : { partialFingerprints: { primaryLocationLineHash: r.lineHash } }),
          })),
        },
      ],
    }),
  );
}
