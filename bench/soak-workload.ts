import { nativeDocument, nativeFinding } from '../src/modules/intake/test-support/native.js';
import { cycloneDx, osvRecord, pypi } from '../src/modules/inventory/test-support/fixtures.js';
import { seededRandom } from '#test-support/seeded-random.js';

/** The kinds of request the soak mixes, with their share of the requests. */
export const SOAK_KINDS = {
  list: 50,
  record: 34,
  submission: 8,
  sbom: 5,
  advisories: 3,
} as const;
export type SoakKind = keyof typeof SOAK_KINDS;

export interface SoakRequest {
  readonly kind: SoakKind;
  /** The route and who calls it, for per-route figures: `GET /clusters as researcher`. */
  readonly route: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly token: string;
  readonly body?: string;
  readonly contentType?: string;
  /** Reads what the answer names (ids for later record reads). */
  readonly onOk?: (body: unknown) => void;
}

export interface SoakParty {
  readonly orgId: string;
  readonly token: string;
}

/**
 * The soak's parties, and the packages its findings, SBOMs and advisories name (so that they match each
 * other): the benches that replay its background work (exposure, jobs) seed the same.
 */
export const SOAK_SHAPE = Object.freeze({ researchers: 4, operators: 8, packages: 200 });
const PACKAGES = SOAK_SHAPE.packages;

/**
 * The soak's requests, drawn from a seeded random stream: reads of lists (by the coordinator, researchers and
 * operators) and of records named by earlier answers, finding submissions (a third repeat an earlier bug),
 * SBOM uploads and advisory imports (half re-import a known advisory), in the shares of {@link SOAK_KINDS}.
 */
export function soakWorkload(
  seed: number,
  adminToken: string,
  researchers: readonly SoakParty[],
  operators: readonly SoakParty[],
  kinds: readonly SoakKind[] = Object.keys(SOAK_KINDS) as SoakKind[],
): { readonly next: () => SoakRequest; readonly make: Record<SoakKind, () => SoakRequest> } {
  const rnd = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const ids = {
    clusters: [] as string[],
    submissions: [] as { id: string; token: string }[],
    sboms: [] as { id: string; token: string }[],
    advisories: [] as string[],
  };
  const remember = <T>(list: T[], value: T) => {
    if (list.length < 5000) list.push(value);
    else list[Math.floor(rnd() * list.length)] = value;
  };
  let serial = 0;

  const listRequest = (): SoakRequest => {
    const operator = pick(operators);
    const researcher = pick(researchers);
    return pick<SoakRequest>([
      { kind: 'list', route: 'GET /clusters as coordinator', method: 'GET', path: '/api/v1/clusters?limit=50', token: adminToken },
      { kind: 'list', route: 'GET /clusters as researcher', method: 'GET', path: '/api/v1/clusters?limit=50', token: researcher.token },
      {
        kind: 'list',
        route: 'GET /inventory/assets as operator',
        method: 'GET',
        path: '/api/v1/inventory/assets?limit=50',
        token: operator.token,
      },
      {
        kind: 'list',
        route: 'GET /inventory/advisories as coordinator',
        method: 'GET',
        path: '/api/v1/inventory/advisories?limit=50',
        token: adminToken,
      },
      { kind: 'list', route: 'GET /inbox as operator', method: 'GET', path: '/api/v1/inbox?limit=50', token: operator.token },
      { kind: 'list', route: 'GET /orgs as coordinator', method: 'GET', path: '/api/v1/orgs?limit=50', token: adminToken },
    ]);
  };
  const read = (route: string, path: string, token: string): SoakRequest => ({ kind: 'record', route, method: 'GET', path, token });
  const recordRequest = (): SoakRequest => {
    const choices: SoakRequest[] = [];
    if (ids.clusters.length > 0)
      choices.push(read('GET /clusters/:id as coordinator', `/api/v1/clusters/${pick(ids.clusters)}`, adminToken));
    if (ids.submissions.length > 0) {
      const s = pick(ids.submissions);
      choices.push(read('GET /submissions/:id as researcher', `/api/v1/submissions/${s.id}`, s.token));
    }
    if (ids.sboms.length > 0) {
      const s = pick(ids.sboms);
      choices.push(read('GET /inventory/sboms/:id as operator', `/api/v1/inventory/sboms/${s.id}`, s.token));
    }
    if (ids.advisories.length > 0) {
      const id = pick(ids.advisories);
      choices.push(read('GET /inventory/advisories/:id as coordinator', `/api/v1/inventory/advisories/${id}`, adminToken));
    }
    return choices.length > 0 ? pick(choices) : listRequest();
  };
  const submissionRequest = (): SoakRequest => {
    const researcher = pick(researchers);
    const n = ++serial;
    // A third of the findings repeat an earlier bug (same package, function and CWE): duplicates join its cluster.
    const findings = Array.from({ length: 1 + Math.floor(rnd() * 3) }, (_, i) => {
      const bug = rnd() < 0.33 && n > 10 ? Math.floor(rnd() * n) : n * 4 + i;
      return nativeFinding({
        title: `Soak finding ${bug}`,
        description: `Finding ${bug} of the soak, reported in run ${n}.`,
        target: { purl: `pkg:pypi/soak-pkg-${bug % PACKAGES}@1.${bug % 7}.0` },
        location: { path: `soak/${bug % 97}.py`, function: `handler_${bug}`, startLine: 1 + (n % 500) },
      });
    });
    return {
      kind: 'submission',
      route: 'POST /submissions as researcher',
      method: 'POST',
      path: '/api/v1/submissions',
      token: researcher.token,
      body: nativeDocument(findings).toString('utf8'),
      contentType: 'application/json',
      onOk: (body) => {
        const answer = body as { submission: { id: string }; findings: { clusterId: string }[] };
        remember(ids.submissions, { id: answer.submission.id, token: researcher.token });
        for (const f of answer.findings) remember(ids.clusters, f.clusterId);
      },
    };
  };
  const sbomRequest = (): SoakRequest => {
    const operator = pick(operators);
    const components = Array.from({ length: 20 }, () => {
      const k = Math.floor(rnd() * PACKAGES);
      return pypi(`soak-pkg-${k}`, `1.${Math.floor(rnd() * 7)}.0`);
    });
    return {
      kind: 'sbom',
      route: 'POST /inventory/sboms as operator',
      method: 'POST',
      path: `/api/v1/inventory/sboms?asset=plant-${Math.floor(rnd() * 20)}&sector=energy&criticality=high`,
      token: operator.token,
      body: cycloneDx(components, 'soak plant'),
      contentType: 'application/vnd.cyclonedx+json',
      onOk: (body) => remember(ids.sboms, { id: (body as { sbom: { id: string } }).sbom.id, token: operator.token }),
    };
  };
  const advisoryRequest = (): SoakRequest => {
    const n = ++serial;
    const records = Array.from({ length: 3 }, (_, i) => {
      // Half re-import a known advisory, changed or not; half are new.
      const id = `OSV-SOAK-${rnd() < 0.5 && n > 10 ? Math.floor(rnd() * n) : n * 3 + i}`;
      const k = Number(id.slice('OSV-SOAK-'.length)) % PACKAGES;
      return {
        record: osvRecord(id, 'PyPI', `soak-pkg-${k}`, [{ introduced: '0' }, { fixed: `1.${1 + Math.floor(rnd() * 6)}.0` }], {
          modified: new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString().replace('.000Z', 'Z'),
        }),
        sourceRef: `soak-${n}.json`,
      };
    });
    return {
      kind: 'advisories',
      route: 'POST /inventory/advisories/import as coordinator',
      method: 'POST',
      path: '/api/v1/inventory/advisories/import',
      token: adminToken,
      body: JSON.stringify({ records, source: 'soak', tlp: 'CLEAR' }),
      contentType: 'application/json',
      onOk: () => records.forEach((r) => remember(ids.advisories, r.record.id)),
    };
  };
  const makers: Record<SoakKind, () => SoakRequest> = {
    list: listRequest,
    record: recordRequest,
    submission: submissionRequest,
    sbom: sbomRequest,
    advisories: advisoryRequest,
  };
  const weights = (Object.entries(SOAK_KINDS) as [SoakKind, number][]).filter(([kind]) => kinds.includes(kind));
  const total = weights.reduce((sum, [, w]) => sum + w, 0);
  const nextKind = (): SoakKind => {
    let roll = rnd() * total;
    for (const [kind, w] of weights) if ((roll -= w) < 0) return kind;
    return weights[0]?.[0] ?? 'list';
  };
  return { next: () => makers[nextKind()](), make: makers };
}
