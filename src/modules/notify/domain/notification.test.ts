import { describe, expect, it } from 'vitest';
import { buildAdvisoryNotice, MAX_ASSETS_PER_NOTIFICATION, webhookBody, type AffectedAsset, type AssetDecision } from './notification.js';

const advisory = { id: 'GHSA-xxxx-yyyy-zzzz', aliases: ['CVE-2026-1234'], summary: 'SQL injection in the admin', tlp: 'GREEN' as const };
const asset = (orgId: string, assetId: string, name: string, sector: string | null = 'energy'): AffectedAsset => ({
  orgId,
  assetId,
  name,
  sector,
  criticality: 'high',
  internetFacing: true,
  components: [{ purl: `pkg:pypi/django@4.2.1`, version: '4.2.1', fixed: ['4.2.2', '5.0.1'] }],
});
const decision = (dueAt: string | null): AssetDecision => ({
  outcome: dueAt === null ? 'defer' : 'out_of_cycle',
  dueAt,
  days: dueAt === null ? null : 7,
  policyVersion: 'default-1',
});

describe('advisory notices', () => {
  it('lists the recipient’s assets soonest due first, each with its decision and fixed versions', () => {
    const built = buildAdvisoryNotice({
      type: 'advisory.published',
      notificationId: 'ntf_1',
      orgId: 'org_a',
      advisory,
      assets: [asset('org_a', 'ast_1', 'zeta'), asset('org_a', 'ast_2', 'alpha', 'water'), asset('org_a', 'ast_3', 'beta', null)],
      decisions: new Map([
        ['ast_1', decision('2026-06-03T00:00:00.000Z')],
        ['ast_2', decision(null)],
        ['ast_3', decision('2026-06-09T00:00:00.000Z')],
      ]),
    });
    expect(built.data.assets.map((a) => a.assetId)).toEqual(['ast_1', 'ast_3', 'ast_2']);
    expect(built.data.assets[0]).toMatchObject({
      components: [{ fixed: ['4.2.2', '5.0.1'] }],
      decision: { outcome: 'out_of_cycle', days: 7 },
    });
    expect(built.data).toMatchObject({ tlp: 'GREEN', embargo: null, assetsTotal: 3, schemaVersion: 1 });
    expect(built.facets).toEqual({
      type: 'advisory.published',
      tlp: 'GREEN',
      sectors: ['energy', 'water'],
      purls: ['pkg:pypi/django@4.2.1'],
    });
  });

  it('refuses to put another organisation’s asset in a notice', () => {
    expect(() =>
      buildAdvisoryNotice({
        type: 'advisory.matched',
        notificationId: 'n',
        orgId: 'org_a',
        advisory,
        assets: [asset('org_b', 'ast_9', 'x')],
        decisions: new Map(),
      }),
    ).toThrow(/belongs to org_b, not to the recipient org_a/);
  });

  it('marks an embargo pre-notice AMBER+STRICT with the embargo end', () => {
    const built = buildAdvisoryNotice({
      type: 'embargo.prenotice',
      notificationId: 'n',
      orgId: 'org_a',
      advisory,
      assets: [asset('org_a', 'ast_1', 'a')],
      decisions: new Map(),
      embargo: { endsAt: '2026-07-01T00:00:00.000Z' },
    });
    expect(built.data).toMatchObject({ tlp: 'AMBER+STRICT', embargo: { endsAt: '2026-07-01T00:00:00.000Z' } });
    expect(built.facets.tlp).toBe('AMBER+STRICT');
    const red = buildAdvisoryNotice({
      type: 'embargo.prenotice',
      notificationId: 'n',
      orgId: 'org_a',
      advisory: { ...advisory, tlp: 'RED' },
      assets: [],
      decisions: new Map(),
      embargo: { endsAt: 'x' },
    });
    expect(red.data.tlp).toBe('RED');
  });

  it('keeps payloads small: at most 100 assets, with the total', () => {
    const many = Array.from({ length: 130 }, (_, i) =>
      asset('org_a', `ast_${String(i).padStart(3, '0')}`, `n${String(i).padStart(3, '0')}`),
    );
    const built = buildAdvisoryNotice({
      type: 'advisory.matched',
      notificationId: 'n',
      orgId: 'org_a',
      advisory,
      assets: many,
      decisions: new Map(),
    });
    expect(built.data.assets).toHaveLength(MAX_ASSETS_PER_NOTIFICATION);
    expect(built.data.assetsTotal).toBe(130);
    expect(webhookBody('advisory.matched', '2026-06-02T12:00:00.000Z', built.data).length).toBeLessThan(40_000);
  });

  it('serializes the Standard Webhooks payload shape', () => {
    expect(JSON.parse(webhookBody('webhook.test', '2026-06-02T12:00:00.000Z', { hello: 1 }))).toEqual({
      type: 'webhook.test',
      timestamp: '2026-06-02T12:00:00.000Z',
      data: { hello: 1 },
    });
  });
});
