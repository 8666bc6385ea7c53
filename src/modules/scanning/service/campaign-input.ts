import { InputError, type FieldIssue } from '../../../platform/errors.js';
import { isTlp, type Tlp } from '../../../platform/tlp.js';
import { checkCampaignShape, MAX_SCOPE_ENTRIES } from '../domain/campaign.js';
import type { ScanTarget } from '../domain/scan-target.js';
import { isTechnique, type Intensity, type Technique } from '../domain/techniques.js';
import { readInstant, type Interval } from '../domain/time-window.js';
import { readScope, type ScopeEntry } from './targets.js';

/** A campaign as registered (the API body; the CLI builds the same). */
export interface CampaignInput {
  readonly name: string;
  readonly tool: { readonly name: string; readonly version: string };
  /** The AI model driving the tool, when one does. */
  readonly model?: { readonly name: string; readonly version: string } | null | undefined;
  readonly aiAssisted: boolean;
  readonly technique: string;
  readonly scope: readonly ScopeEntry[];
  readonly window: { readonly start: string; readonly end: string };
  /** Required for active scanning (a live technique against a network target). */
  readonly intensity?: Intensity | null | undefined;
  /** Who to reach to stop it, at once: at least one of email, phone, url. */
  readonly stopContact: { readonly name?: string; readonly email?: string; readonly phone?: string; readonly url?: string };
  /** Default AMBER: the scanner, the coordinator and the operators whose assets it touches. */
  readonly tlp?: string | undefined;
}

/** A campaign read and checked, ready for the policy and the database. */
export interface CampaignPlanInput {
  readonly name: string;
  readonly tool: { readonly name: string; readonly version: string };
  readonly model: { readonly name: string; readonly version: string } | null;
  readonly aiAssisted: boolean;
  readonly technique: Technique;
  readonly scope: readonly ScopeEntry[];
  readonly targets: readonly ScanTarget[];
  readonly window: Interval;
  readonly intensity: Intensity | null;
  readonly stopContact: Readonly<Record<string, string>>;
  readonly tlp: Tlp;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_RPS = 1_000_000;
const MAX_CONCURRENCY = 100_000;

function text(issues: FieldIssue[], pointer: string, value: unknown, max: number): string {
  if (typeof value !== 'string' || value.trim() === '') {
    issues.push({ pointer, detail: 'is required' });
    return '';
  }
  if (value.length > max) issues.push({ pointer, detail: `must be at most ${max} characters` });
  return value.trim();
}

/** Reads a campaign, naming every bad field; throws InputError when any is. */
export function readCampaignInput(input: CampaignInput, now: Date): CampaignPlanInput {
  const issues: FieldIssue[] = [];
  const name = text(issues, '/name', input.name, 200);
  const tool = {
    name: text(issues, '/tool/name', input.tool?.name, 100),
    version: text(issues, '/tool/version', input.tool?.version, 100),
  };
  const model =
    input.model === undefined || input.model === null
      ? null
      : { name: text(issues, '/model/name', input.model.name, 100), version: text(issues, '/model/version', input.model.version, 100) };
  if (typeof input.aiAssisted !== 'boolean') issues.push({ pointer: '/aiAssisted', detail: 'must be true or false' });
  if (model !== null && input.aiAssisted === false)
    issues.push({ pointer: '/aiAssisted', detail: 'must be true when a model drives the tool' });
  if (!isTechnique(input.technique))
    issues.push({ pointer: '/technique', detail: 'must be one of source_review, sast, fuzzing, dynamic, network' });
  const technique: Technique = isTechnique(input.technique) ? input.technique : 'sast';
  const scope = Array.isArray(input.scope) ? input.scope : [];
  if (scope.length === 0) issues.push({ pointer: '/scope', detail: 'must list at least one target' });
  if (scope.length > MAX_SCOPE_ENTRIES) issues.push({ pointer: '/scope', detail: `must list at most ${MAX_SCOPE_ENTRIES} targets` });
  const targets = readScope(scope.slice(0, MAX_SCOPE_ENTRIES), '/scope', issues);
  const start = readInstant(String(input.window?.start ?? ''));
  const end = readInstant(String(input.window?.end ?? ''));
  if (start === null) issues.push({ pointer: '/window/start', detail: 'must be an ISO 8601 instant with Z or an offset' });
  if (end === null) issues.push({ pointer: '/window/end', detail: 'must be an ISO 8601 instant with Z or an offset' });
  let intensity: Intensity | null = null;
  if (input.intensity !== undefined && input.intensity !== null) {
    const { requestsPerSecond, concurrency } = input.intensity;
    if (typeof requestsPerSecond !== 'number' || !(requestsPerSecond > 0) || requestsPerSecond > MAX_RPS)
      issues.push({ pointer: '/intensity/requestsPerSecond', detail: `must be a number above 0 and at most ${MAX_RPS}` });
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY)
      issues.push({ pointer: '/intensity/concurrency', detail: `must be a whole number from 1 to ${MAX_CONCURRENCY}` });
    intensity = { requestsPerSecond, concurrency };
  }
  const contact: Record<string, string> = {};
  for (const key of ['name', 'email', 'phone', 'url'] as const) {
    const value = input.stopContact?.[key];
    if (value === undefined || value === '') continue;
    contact[key] = text(issues, `/stopContact/${key}`, value, 300);
  }
  if (contact['email'] !== undefined && !EMAIL.test(contact['email']))
    issues.push({ pointer: '/stopContact/email', detail: 'must be an e-mail address' });
  if (contact['url'] !== undefined && !/^https:\/\/\S+$/.test(contact['url']))
    issues.push({ pointer: '/stopContact/url', detail: 'must be an https:// URL' });
  if (contact['email'] === undefined && contact['phone'] === undefined && contact['url'] === undefined)
    issues.push({ pointer: '/stopContact', detail: 'must give an email, phone or url to reach at once' });
  const tlpText = input.tlp === undefined ? 'AMBER' : input.tlp.toUpperCase();
  if (!isTlp(tlpText)) issues.push({ pointer: '/tlp', detail: 'must be a TLP 2.0 label (CLEAR, GREEN, AMBER, AMBER+STRICT, RED)' });
  const tlp: Tlp = isTlp(tlpText) ? tlpText : 'AMBER';
  if (tlp === 'RED')
    issues.push({ pointer: '/tlp', detail: 'RED names single users; a campaign is shared with organisations (use AMBER+STRICT)' });
  const window = { startMs: start ?? 0, endMs: end ?? 0 };
  if (issues.length === 0) issues.push(...checkCampaignShape({ technique, window, targets, intensity }, now.getTime()));
  if (issues.length > 0)
    throw new InputError(`the campaign is invalid: ${issues.map((i) => `${i.pointer} ${i.detail}`).join('; ')}`, issues);
  return { name, tool, model, aiAssisted: input.aiAssisted, technique, scope, targets, window, intensity, stopContact: contact, tlp };
}
