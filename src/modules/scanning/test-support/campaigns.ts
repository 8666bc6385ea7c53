import type { CampaignInput } from '../service/campaign-input.js';

/** A campaign input with sensible defaults (a week from the test clock's start, passive SAST on lodash). */
export function campaignInput(overrides: Partial<CampaignInput> = {}): CampaignInput {
  return {
    name: 'Nightly SAST sweep',
    tool: { name: 'deepscan', version: '2.1' },
    model: null,
    aiAssisted: false,
    technique: 'sast',
    scope: [{ target: 'pkg:npm/lodash' }],
    window: { start: '2026-06-02T12:00:00Z', end: '2026-06-09T12:00:00Z' },
    stopContact: { name: 'SOC on call', email: 'soc@scanner.example' },
    ...overrides,
  };
}

/** An active network campaign against `targets`, with a modest intensity. */
export function networkCampaign(targets: string[], overrides: Partial<CampaignInput> = {}): CampaignInput {
  return campaignInput({
    name: 'External attack surface scan',
    technique: 'network',
    scope: targets.map((target) => ({ target })),
    intensity: { requestsPerSecond: 10, concurrency: 2 },
    ...overrides,
  });
}
