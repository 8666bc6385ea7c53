import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { anonymousActor, systemActor, type Role, type UserActor } from '../../../platform/actor.js';
import { AuthenticationError, NotAllowedError } from '../../../platform/errors.js';
import { authorize, holds, renderPermissionTable } from './authorize.js';
import { ORG_KINDS } from './org.js';
import { PERMISSIONS, PERMISSION_NAMES } from './permissions.js';

const user = (orgKind: string, role: Role, orgId = 'org_a'): UserActor => ({
  kind: 'user',
  userId: `usr_${orgKind}_${role}`,
  orgId,
  orgKind,
  role,
  tokenId: null,
});

describe('the permission table', () => {
  it('names every permission <module>.<noun>.<verb> after a module that exists', () => {
    const modules = [
      'identity',
      'audit',
      'intake',
      'validation',
      'scoring',
      'inventory',
      'frontier',
      'cases',
      'advisories',
      'notify',
      'scanning',
      'governance',
    ];
    for (const name of PERMISSION_NAMES) {
      expect(name).toMatch(/^[a-z]+\.[a-z-]+\.[a-z-]+$/);
      expect(modules).toContain(name.split('.')[0]);
    }
  });

  it('never lets a viewer act: viewers only read, everywhere', () => {
    for (const name of PERMISSION_NAMES) {
      const rule = PERMISSIONS[name];
      if (rule.kind !== 'act') continue;
      for (const kind of ORG_KINDS) expect(holds(user(kind, 'viewer'), name), `${kind} viewer holds ${name}`).toBe(false);
    }
  });

  it('gives the system every permission and anonymous callers none', () => {
    for (const name of PERMISSION_NAMES) {
      expect(holds(systemActor('cli'), name)).toBe(true);
      expect(holds(anonymousActor, name)).toBe(false);
    }
  });

  it('is listed in the README as generated', () => {
    const readme = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8');
    const start = '<!-- permissions:start (generated from src/modules/identity/domain/permissions.ts) -->';
    const end = '<!-- permissions:end -->';
    const at = readme.indexOf(start);
    expect(at, `README.md needs the markers ${start} … ${end}`).toBeGreaterThanOrEqual(0);
    const listed = readme.slice(at + start.length, readme.indexOf(end, at)).trim();
    expect(
      listed,
      'the README table differs from the permission table; print it with npx tsx -e "import(\'./src/modules/identity/domain/authorize.ts\').then((m) => console.log(m.renderPermissionTable()))" and paste it between the markers',
    ).toBe(renderPermissionTable());
  });
});

describe('authorize', () => {
  it('holds for the listed kinds and roles only', () => {
    expect(holds(user('coordinator', 'admin'), 'identity.org.create')).toBe(true);
    expect(holds(user('coordinator', 'analyst'), 'identity.org.create')).toBe(false);
    expect(holds(user('agency', 'admin'), 'identity.org.create')).toBe(false);
    expect(holds(user('coordinator', 'analyst'), 'intake.cluster.regroup')).toBe(true);
    expect(holds(user('vendor', 'analyst'), 'validation.evidence.upload')).toBe(true);
    expect(holds(user('vendor', 'viewer'), 'validation.evidence.upload')).toBe(false);
  });

  it('checks "own" grants against the organisation concerned', () => {
    const operatorAnalyst = user('operator', 'analyst', 'org_op');
    expect(holds(operatorAnalyst, 'inventory.asset.manage', { ownerOrgId: 'org_op' })).toBe(true);
    expect(holds(operatorAnalyst, 'inventory.asset.manage', { ownerOrgId: 'org_other' })).toBe(false);
    // Without a target, the actor acts for its own organisation.
    expect(holds(operatorAnalyst, 'inventory.asset.manage')).toBe(true);
    // The coordinator's grant is not tied to an organisation.
    expect(holds(user('coordinator', 'analyst', 'org_c'), 'inventory.asset.manage', { ownerOrgId: 'org_op' })).toBe(true);
    expect(holds(user('vendor', 'admin', 'org_v'), 'identity.user.create', { ownerOrgId: 'org_v' })).toBe(true);
    expect(holds(user('vendor', 'admin', 'org_v'), 'identity.user.create', { ownerOrgId: 'org_w' })).toBe(false);
  });

  it('throws NotAllowedError naming who may, AuthenticationError for anonymous callers', () => {
    expect(() => authorize(user('vendor', 'viewer'), 'validation.evidence.upload')).toThrow(NotAllowedError);
    expect(() => authorize(user('vendor', 'viewer'), 'scoring.policy.update')).toThrow(
      'only admins of coordinator organisations may change the prioritization policy (scoring.policy.update)',
    );
    expect(() => authorize(anonymousActor, 'intake.submission.create')).toThrow(AuthenticationError);
    expect(() => authorize(user('coordinator', 'admin'), 'scoring.policy.update')).not.toThrow();
  });
});
