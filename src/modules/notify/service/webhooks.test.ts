import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { DAY } from '../../../platform/clock.js';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '../../../platform/errors.js';
import { anonymousActor } from '../../../platform/actor.js';
import { auditActionsOf, auditText } from '../test-support/audit.js';
import { addAllowlistEntry, getAllowlist, removeAllowlistEntry } from './allowlist.js';
import {
  deleteWebhook,
  getWebhook,
  listWebhooks,
  MAX_WEBHOOKS_PER_ORG,
  registerWebhook,
  rotateWebhookSecret,
  updateWebhook,
} from './webhooks.js';

describeEachDatabase('webhook registration', (dialect) => {
  const get = useTestRuntime(dialect);

  it('registers an https endpoint and shows its secret once', async () => {
    const { as, org, runtime } = get();
    const admin = await org('operator');
    const created = await registerWebhook(as(admin), {
      url: 'https://hooks.example-operator.com/ch/T0K3N-in-path',
      events: ['advisory.*', 'remediation.overdue'],
      description: 'Our private SOC pipeline',
    });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(created.webhook).toMatchObject({
      orgId: admin.orgId,
      url: 'https://hooks.example-operator.com/ch/T0K3N-in-path',
      events: ['advisory.*', 'remediation.overdue'],
      tlpCeiling: 'AMBER+STRICT',
      sectors: null,
      products: null,
      enabled: true,
      circuit: { status: 'closed', consecutiveFailures: 0, openUntil: null },
    });
    const listed = await listWebhooks(as(admin), {}, {});
    expect(listed.items.map((w) => w.id)).toEqual([created.webhook.id]);
    expect(JSON.stringify([listed, await getWebhook(as(admin), created.webhook.id)])).not.toContain(created.secret);
    expect(await auditActionsOf(runtime.db, created.webhook.id)).toEqual(['notify.webhook.create']);
    // The audit line, which coordinators read, holds neither the secret nor the URL's path and the description.
    const audit = await auditText(runtime.db);
    expect(audit).not.toContain(created.secret.slice(6));
    expect(audit).toContain('https://hooks.example-operator.com');
    expect(audit).not.toContain('T0K3N');
    expect(audit).not.toContain('private SOC');
  });

  it.each([
    ['http://hooks.example-operator.com/', /must use https/],
    ['https://127.0.0.1/', /loopback/],
    ['https://169.254.169.254/latest/meta-data/', /metadata/],
    ['https://[::ffff:10.0.0.1]/', /private/],
    ['https://localhost/', /not a fully qualified domain name/],
    ['https://printer.local/', /special-use/],
  ])('refuses %s, naming the url field', async (url, reason) => {
    const { as, org } = get();
    const admin = await org('operator');
    const error = await registerWebhook(as(admin), { url, events: ['*'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).issues[0]).toMatchObject({ pointer: '/url', detail: expect.stringMatching(reason) as unknown });
  });

  it('names every bad field', async () => {
    const { as, org } = get();
    const admin = await org('operator');
    const error = (await registerWebhook(as(admin), {
      url: 'https://hooks.example-operator.com/',
      events: ['advisory.*', 'Bad Type'],
      tlpCeiling: 'PURPLE',
      sectors: ['energy', 'moon'],
      products: ['django'],
    }).catch((e: unknown) => e)) as InputError;
    expect(error.issues.map((i) => i.pointer)).toEqual(['/events/1', '/tlpCeiling', '/sectors/1', '/products/0']);
    expect(await registerWebhook(as(admin), { url: 'https://hooks.example-operator.com/' }).catch((e: unknown) => e)).toBeInstanceOf(
      InputError,
    );
  });

  it('accepts a loopback receiver over plain http once a coordinator admin allow-lists it', async () => {
    const { as, org, coordinatorAdmin, user } = get();
    const admin = await org('operator');
    await expect(registerWebhook(as(admin), { url: 'http://127.0.0.1:9/hook', events: ['*'] })).rejects.toThrow(InputError);
    await expect(addAllowlistEntry(as(admin), { cidr: '127.0.0.0/8' })).rejects.toThrow(NotAllowedError);
    const analyst = await user(coordinatorAdmin.orgId, 'analyst');
    await expect(addAllowlistEntry(as(analyst), { cidr: '127.0.0.0/8' })).rejects.toThrow(NotAllowedError);
    const entry = await addAllowlistEntry(as(coordinatorAdmin), { cidr: '127.0.0.1/8', note: 'test receivers' });
    expect(entry).toMatchObject({ cidr: '127.0.0.0/8', note: 'test receivers' });
    await expect(addAllowlistEntry(as(coordinatorAdmin), { cidr: '127.0.0.0/8' })).rejects.toThrow(ConflictError);
    await expect(addAllowlistEntry(as(coordinatorAdmin), { cidr: '127.0.0/8' })).rejects.toThrow(InputError);
    expect((await registerWebhook(as(admin), { url: 'http://127.0.0.1:9/hook', events: ['*'] })).webhook.url).toBe(
      'http://127.0.0.1:9/hook',
    );
    expect(await getAllowlist(as(admin))).toEqual([]);
    expect((await getAllowlist(as(coordinatorAdmin))).map((e) => e.cidr)).toEqual(['127.0.0.0/8']);
    await removeAllowlistEntry(as(coordinatorAdmin), entry.id);
    await expect(registerWebhook(as(admin), { url: 'http://127.0.0.1:9/other', events: ['*'] })).rejects.toThrow(InputError);
  });

  it('lets only the organisation’s admins manage, its members read, and nobody else see it', async () => {
    const { as, org, user, runtime } = get();
    const admin = await org('operator');
    const analyst = await user(admin.orgId, 'analyst');
    const viewer = await user(admin.orgId, 'viewer');
    const stranger = await org('operator');
    const { webhook } = await registerWebhook(as(admin), { url: 'https://hooks.example-operator.com/', events: ['*'] });
    await expect(registerWebhook(as(analyst), { url: 'https://hooks.example-operator.com/2', events: ['*'] })).rejects.toThrow(
      NotAllowedError,
    );
    expect((await getWebhook(as(viewer), webhook.id)).id).toBe(webhook.id);
    await expect(updateWebhook(as(viewer), webhook.id, { enabled: false })).rejects.toThrow(NotAllowedError);
    for (const call of [
      () => getWebhook(as(stranger), webhook.id),
      () => updateWebhook(as(stranger), webhook.id, { enabled: false }),
      () => deleteWebhook(as(stranger), webhook.id),
      () => listWebhooks(as(stranger), { orgId: admin.orgId }, {}),
      () => registerWebhook(as(stranger), { orgId: admin.orgId, url: 'https://hooks.example-operator.com/x', events: ['*'] }),
    ]) {
      await expect(call()).rejects.toThrow(/no webhook|no organisation|not allowed|only/);
    }
    await expect(getWebhook(runtime.contextFor(anonymousActor), webhook.id)).rejects.toThrow(NotFoundError);
    await expect(listWebhooks(runtime.contextFor(anonymousActor), { orgId: admin.orgId }, {})).rejects.toThrow(NotFoundError);
  });

  it('updates, disables, rotates and deletes', async () => {
    const { as, org, clock, runtime } = get();
    const admin = await org('operator');
    const { webhook } = await registerWebhook(as(admin), { url: 'https://hooks.example-operator.com/', events: ['*'] });
    const changed = await updateWebhook(as(admin), webhook.id, {
      events: ['advisory.published'],
      tlpCeiling: 'GREEN',
      sectors: ['water'],
      products: ['pkg:pypi/django'],
    });
    expect(changed).toMatchObject({
      events: ['advisory.published'],
      tlpCeiling: 'GREEN',
      sectors: ['water'],
      products: ['pkg:pypi/django'],
    });
    expect(await updateWebhook(as(admin), webhook.id, { enabled: false })).toMatchObject({
      enabled: false,
      disabledReason: expect.stringMatching(/disabled by an admin/) as unknown,
    });
    expect(await updateWebhook(as(admin), webhook.id, { enabled: true })).toMatchObject({ enabled: true, disabledReason: null });
    const rotated = await rotateWebhookSecret(as(admin), webhook.id);
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.previousValidUntil).toBe(new Date(clock.now().getTime() + DAY).toISOString());
    expect((await getWebhook(as(admin), webhook.id)).previousSecretUntil).toBe(rotated.previousValidUntil);
    await deleteWebhook(as(admin), webhook.id);
    await expect(getWebhook(as(admin), webhook.id)).rejects.toThrow(NotFoundError);
    expect((await listWebhooks(as(admin), {}, {})).items).toEqual([]);
    expect(await auditActionsOf(runtime.db, webhook.id)).toEqual([
      'notify.webhook.create',
      'notify.webhook.update',
      'notify.webhook.update',
      'notify.webhook.update',
      'notify.webhook.rotate',
      'notify.webhook.delete',
    ]);
  });

  it(`holds an organisation to ${MAX_WEBHOOKS_PER_ORG} webhooks, also when registrations race`, async () => {
    const { as, org } = get();
    const admin = await org('operator');
    const results = await Promise.allSettled(
      Array.from({ length: MAX_WEBHOOKS_PER_ORG + 5 }, (_, i) =>
        registerWebhook(as(admin), { url: `https://hooks.example-operator.com/${i}`, events: ['*'] }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(MAX_WEBHOOKS_PER_ORG);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(ConflictError);
  });
});
