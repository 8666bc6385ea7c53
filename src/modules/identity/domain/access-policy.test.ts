import { describe, expect, it } from 'vitest';
import { anonymousActor, systemActor, type UserActor } from '../../../platform/actor.js';
import type { Tlp } from '../../../platform/tlp.js';
import { auditScope, can, canSee, canManageUsers, canSeeOrg, type ProtectedRecord, type Recipient } from './access-policy.js';

const user = (userId: string, orgId: string, role: UserActor['role'] = 'analyst', orgKind = 'vendor'): UserActor => ({
  kind: 'user',
  userId,
  orgId,
  orgKind,
  role,
  tokenId: null,
});

// The cast: the owner org (alice creates, bob is her colleague), a recipient org (carol), an org the
// recipient serves (dave), a named individual recipient (erin, in org E), and an outsider (frank).
const alice = user('alice', 'owner');
const bob = user('bob', 'owner');
const carol = user('carol', 'recipient');
const dave = user('dave', 'served');
const erin = user('erin', 'E');
const erinsColleague = user('ed', 'E');
const frank = user('frank', 'outsider');

const recipients: Recipient[] = [
  { orgId: 'recipient', userId: null, scope: 'recipient' },
  { orgId: 'served', userId: null, scope: 'served' },
  { orgId: 'E', userId: 'erin', scope: 'recipient' },
];
const record = (tlp: Tlp): ProtectedRecord => ({ ownerOrgId: 'owner', tlp, createdBy: 'alice', recipients });

// Who may see a record at each label, per TLP 2.0 (FIRST) as DESIGN §5 applies it.
const expected: Record<Tlp, string[]> = {
  CLEAR: ['anonymous', 'alice', 'bob', 'carol', 'dave', 'erin', 'ed', 'frank'],
  GREEN: ['alice', 'bob', 'carol', 'dave', 'erin', 'ed', 'frank'],
  AMBER: ['alice', 'bob', 'carol', 'dave', 'erin', 'ed'],
  'AMBER+STRICT': ['alice', 'bob', 'carol', 'erin', 'ed'],
  RED: ['alice', 'erin'],
};

describe('canSee by TLP', () => {
  const cast = [anonymousActor, alice, bob, carol, dave, erin, erinsColleague, frank];
  for (const [tlp, who] of Object.entries(expected) as [Tlp, string[]][]) {
    it(`${tlp}: ${who.join(', ')}`, () => {
      const seeing = cast.filter((actor) => canSee(actor, record(tlp))).map((a) => (a.kind === 'user' ? a.userId : a.kind));
      expect(seeing).toEqual(who);
    });
  }

  it('lets the system actor see everything', () => {
    expect(canSee(systemActor('cli'), record('RED'))).toBe(true);
  });
});

describe('can', () => {
  it('lets owner-org analysts and admins write, viewers only read', () => {
    const r = record('AMBER');
    expect(can(user('x', 'owner', 'viewer'), 'read', r)).toBe(true);
    expect(can(user('x', 'owner', 'viewer'), 'write', r)).toBe(false);
    expect(can(user('x', 'owner', 'analyst'), 'write', r)).toBe(true);
    expect(can(user('x', 'owner', 'analyst'), 'administer', r)).toBe(false);
    expect(can(user('x', 'owner', 'admin'), 'administer', r)).toBe(true);
  });

  it('lets recipients read but not write', () => {
    expect(can(carol, 'read', record('AMBER'))).toBe(true);
    expect(can(user('c2', 'recipient', 'admin'), 'write', record('AMBER'))).toBe(false);
  });

  it('makes coordinator analysts and admins recipients of every record, whatever its TLP; not its viewers', () => {
    // DESIGN §5, "the clearinghouse reads what it is sent": nothing in `record` names the coordinator.
    for (const role of ['analyst', 'admin'] as const) {
      const coordinator = user('k', 'coord', role, 'coordinator');
      for (const tlp of ['GREEN', 'AMBER', 'AMBER+STRICT', 'RED'] as const) {
        expect(canSee(coordinator, record(tlp)), `${role} ${tlp}`).toBe(true);
        expect(can(coordinator, 'write', record(tlp)), `${role} ${tlp}`).toBe(true);
      }
    }
    const viewer = user('v', 'coord', 'viewer', 'coordinator');
    expect(canSee(viewer, record('GREEN'))).toBe(true);
    expect(canSee(viewer, record('AMBER'))).toBe(false);
    expect(canSee(viewer, record('RED'))).toBe(false);
    expect(can(viewer, 'write', record('GREEN'))).toBe(false);
  });
});

describe('organisation rules', () => {
  const coordinatorViewer = user('cv', 'coord', 'viewer', 'coordinator');
  it('shows every org to the coordinator and only its own to others', () => {
    expect(canSeeOrg(coordinatorViewer, 'anything')).toBe(true);
    expect(canSeeOrg(frank, 'outsider')).toBe(true);
    expect(canSeeOrg(frank, 'owner')).toBe(false);
    expect(canSeeOrg(anonymousActor, 'owner')).toBe(false);
  });

  it('lets only that org’s admins and coordinator admins manage users', () => {
    expect(canManageUsers(user('a', 'owner', 'admin'), 'owner')).toBe(true);
    expect(canManageUsers(user('a', 'owner', 'analyst'), 'owner')).toBe(false);
    expect(canManageUsers(user('a', 'outsider', 'admin'), 'owner')).toBe(false);
    expect(canManageUsers(user('c', 'coord', 'admin', 'coordinator'), 'owner')).toBe(true);
    expect(canManageUsers(coordinatorViewer, 'owner')).toBe(false);
  });

  it('scopes the audit trail', () => {
    expect(auditScope(user('c', 'coord', 'analyst', 'coordinator'))).toEqual({ all: true });
    expect(auditScope(coordinatorViewer)).toBeNull();
    expect(auditScope(user('a', 'owner', 'admin'))).toEqual({ all: false, orgId: 'owner' });
    expect(auditScope(alice)).toBeNull();
    expect(auditScope(anonymousActor)).toBeNull();
  });
});
