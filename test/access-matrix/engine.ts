import type { Call, CallCase, RouteFixture } from './fixture.js';
import type { StateDigest } from './state-digest.js';
import { canariesIn, type Member, type World } from './world.js';

/** One thing the matrix found wrong. `key` is stable across runs (for the list of known leaks). */
export interface Finding {
  readonly key: string;
  readonly detail: string;
}

export interface RouteRun {
  readonly route: string;
  readonly requests: number;
  readonly succeeded: number;
  readonly findings: Finding[];
  /** Some refused calls, to tell why a fixture never succeeds. */
  readonly statuses: string[];
  /** The path parameters of every call made (to check that each value an enum allows was asked for). */
  readonly params: Readonly<Record<string, string>>[];
}

export const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

interface Answer {
  readonly status: number;
  readonly text: string;
  readonly json: unknown;
}

async function send(world: World, member: Member, method: string, path: string, call: Call): Promise<Answer> {
  let url = path;
  for (const [name, value] of Object.entries(call.params ?? {})) url = url.replace(`{${name}}`, encodeURIComponent(value));
  if (/\{[^}]+\}/.test(url)) throw new Error(`${method} ${path}: the fixture left ${url.match(/\{[^}]+\}/)?.[0]} unfilled`);
  const query = new URLSearchParams(Object.entries(call.query ?? {}).filter((e): e is [string, string] => e[1] !== undefined)).toString();
  const headers: Record<string, string> = {};
  if (member.user !== null) headers.authorization = `Bearer ${member.user.token}`;
  let payload: string | Buffer | undefined;
  if (call.raw !== undefined) {
    headers['content-type'] = call.raw.contentType;
    payload = call.raw.bytes;
  } else if (call.body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(call.body);
  }
  const response = await world.app.inject({
    method: method as 'GET',
    url: query === '' ? url : `${url}?${query}`,
    headers,
    ...(payload === undefined ? {} : { payload }),
  });
  let json: unknown = undefined;
  try {
    json = JSON.parse(response.body);
  } catch {
    // not JSON (HTML, downloads)
  }
  return { status: response.statusCode, text: response.body, json };
}

/** The cluster counts of a JSON answer: objects naming a seeded cluster with a count of its reports. */
function* clusterCounts(value: unknown): Generator<{ id: string; reports?: number; reporters?: number }> {
  if (Array.isArray(value)) {
    for (const item of value) yield* clusterCounts(item);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const o = value as Record<string, unknown>;
  const id = typeof o.clusterId === 'string' ? o.clusterId : typeof o.id === 'string' ? o.id : null;
  const reports = typeof o.findingCount === 'number' ? o.findingCount : typeof o.reportCount === 'number' ? o.reportCount : undefined;
  const reporters = typeof o.reporterCount === 'number' ? o.reporterCount : undefined;
  if (id !== null && (reports !== undefined || reporters !== undefined)) yield { id, reports, reporters };
  for (const child of Object.values(o)) yield* clusterCounts(child);
}

/** Runs one operation's fixture for every member of the cast and reports what went wrong. */
export async function runRoute(world: World, fixture: RouteFixture, state: StateDigest): Promise<RouteRun> {
  const [method, path] = fixture.route.split(' ') as [string, string];
  const write = WRITE_METHODS.has(method);
  const findings: Finding[] = [];
  const found = (key: string, detail: string) => findings.push({ key: `${fixture.route} :: ${key}`, detail });
  let requests = 0;
  let succeeded = 0;
  const statuses: string[] = [];

  /** Every check that needs only the answer. */
  const params: Readonly<Record<string, string>>[] = [];
  const check = (member: Member, call: Call, answer: Answer): boolean => {
    requests += 1;
    if (call.params !== undefined && !params.includes(call.params)) params.push(call.params);
    const who = member.key;
    const ok = answer.status >= 200 && answer.status < 300;
    if (ok) succeeded += 1;
    else if (statuses.length < 40) statuses.push(`${who} ${answer.status} ${answer.text.slice(0, 160)}`);
    if (answer.status >= 500) found(`${who} :: 5xx :: ${call.label}`, `answered ${answer.status}: ${answer.text.slice(0, 300)}`);
    const asked = `${JSON.stringify(call.params ?? {})} ${JSON.stringify(call.query ?? {})} ${JSON.stringify(call.body ?? null)}`;
    for (const canary of canariesIn(world, answer.text)) {
      // What the caller sent comes back in some answers (a problem's `instance`): that reveals nothing.
      if (!canary.audience(member) && !asked.includes(canary.value))
        found(`${who} :: reads ${canary.label}`, `case "${call.label}" (${answer.status}) shows ${canary.value} (${canary.label})`);
      if (call.for !== undefined && ok && !canary.audience(call.for) && !asked.includes(canary.value))
        found(
          `${who} :: for ${call.for.key} :: reads ${canary.label}`,
          `case "${call.label}" (${answer.status}), computed for ${call.for.key}, shows ${canary.value} (${canary.label})`,
        );
    }
    if (answer.json !== undefined) {
      for (const seen of clusterCounts(answer.json)) {
        const known = world.clusters.get(seen.id);
        if (known === undefined) continue;
        const visible = known.reports.filter((r) => r.audience(member));
        const reporters = new Set(visible.map((r) => r.reporterOrgId)).size;
        if (seen.reports !== undefined && seen.reports > visible.length)
          found(
            `${who} :: counts hidden reports of the ${known.label}`,
            `case "${call.label}": ${seen.reports} reports shown, ${visible.length} visible`,
          );
        if (seen.reporters !== undefined && seen.reporters > reporters)
          found(
            `${who} :: counts hidden reporters of the ${known.label}`,
            `case "${call.label}": ${seen.reporters} reporters shown, ${reporters} visible`,
          );
      }
    }
    if (call.subject !== undefined) {
      const sees = call.subject.audience(member);
      const hiddenAnswer = answer.status === 404 || (member.user === null && answer.status === 401);
      if (!sees && !hiddenAnswer)
        found(
          `${who} :: ${call.subject.label} not hidden`,
          `case "${call.label}" answered ${answer.status}, not 404: ${answer.text.slice(0, 200)}`,
        );
      if (sees && answer.status === 404)
        found(`${who} :: ${call.subject.label} visible but 404`, `case "${call.label}": ${answer.text.slice(0, 200)}`);
    }
    return ok;
  };

  const cases: CallCase[] = await fixture.cases(world);
  // Least privileged first, so that a successful write (which replaces the record) comes late.
  const members = [...world.members].sort((a, b) => rank(a) - rank(b));
  for (const callCase of cases) {
    if (!write) {
      // Reads change nothing: every member asks at once.
      const call = typeof callCase === 'function' ? await callCase() : callCase;
      const answers = await Promise.all(members.map((m) => send(world, m, method, path, call)));
      members.forEach((m, i) => check(m, call, answers[i]!));
      continue;
    }
    let call: Call | null = null;
    let last: Map<string, string> | null = null;
    for (const member of members) {
      if (call === null) {
        call = typeof callCase === 'function' ? await callCase() : callCase;
        // The fresh record's background work and recipients, before anyone calls.
        await world.t.runtime.jobs.drain();
        await world.refresh();
        last = null;
      }
      const before = last ?? (await state.read());
      const answer = await send(world, member, method, path, call);
      if (check(member, call, answer)) {
        if ((member.role === 'viewer' || member.user === null) && fixture.selfService !== true)
          found(`${member.key} :: viewer wrote`, `case "${call.label}" answered ${answer.status}: viewers and anonymous callers only read`);
        await world.t.runtime.jobs.drain();
        await world.refresh();
        last = null;
        if (typeof callCase === 'function') call = null;
      } else {
        const after = await state.read();
        const changed = [...after.keys()].filter((k) => after.get(k) !== before.get(k) && !(fixture.refusalMayWrite ?? []).includes(k));
        if (changed.length > 0)
          found(
            `${member.key} :: refused write changed ${changed.join(', ')}`,
            `case "${call.label}" answered ${answer.status} yet changed ${changed.join(', ')}`,
          );
        last = after;
      }
    }
  }
  return { route: fixture.route, requests, succeeded, findings, statuses, params };
}

function rank(m: Member): number {
  const role = m.role === null ? 0 : m.role === 'viewer' ? 1 : m.role === 'analyst' ? 2 : 3;
  return (m.kind === 'coordinator' ? 10 : 0) + role;
}
