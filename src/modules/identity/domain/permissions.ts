import type { Role } from '../../../platform/actor.js';
import type { OrgKind } from './org.js';

/**
 * Who may do what: one table for every module (DESIGN §5, "Roles"). Seeing a record is the access policy's
 * (`canSee`: TLP and recipients); this table says which roles of which kinds of organisation may *act*, and
 * which reads are reserved to some roles. `authorize()` (./authorize.ts) is the only reader of it.
 *
 * A permission is named `<module>.<noun>.<verb>`. Each lists the grants that confer it: users of the named
 * organisation kinds holding one of the named roles; a grant marked `own` holds only when the actor acts for
 * its own organisation — the record's owner, or the organisation the action is for. What a module checks
 * beyond role and kind (a grant held, the validation policy's kinds, independence of the reporter) is
 * stated in `also`, for the README.
 *
 * The local operator (the system actor) holds every permission; anonymous callers hold none. Viewers only
 * read: a permission of kind `act` never lists them (a test holds this), `self` ones concern the caller's own
 * credentials.
 */
export interface PermissionGrant {
  readonly kinds: readonly OrgKind[] | 'any';
  readonly roles: readonly Role[];
  /** Holds only for the actor's own organisation (the record's owner, or the organisation named). */
  readonly own?: true;
}

export interface PermissionRule {
  /** `read`: a reserved view; `act`: changes something; `self`: the caller's own credentials. */
  readonly kind: 'read' | 'act' | 'self';
  readonly grants: readonly PermissionGrant[];
  /** What the permission allows, in words (the README's table). */
  readonly does: string;
  /** Conditions the module checks beyond role and kind. */
  readonly also?: string;
}

const ACT: readonly Role[] = ['admin', 'analyst'];
const ADMIN: readonly Role[] = ['admin'];
const ANY_ROLE: readonly Role[] = ['admin', 'analyst', 'viewer'];

const coordinatorStaff: PermissionGrant = { kinds: ['coordinator'], roles: ACT };
const coordinatorAdmin: PermissionGrant = { kinds: ['coordinator'], roles: ADMIN };
const coordinatorAnyone: PermissionGrant = { kinds: ['coordinator'], roles: ANY_ROLE };
const ownActors: PermissionGrant = { kinds: 'any', roles: ACT, own: true };
const developerActors: PermissionGrant = { kinds: ['model_developer'], roles: ACT, own: true };
const governmentActors: readonly PermissionGrant[] = [{ kinds: ['agency'], roles: ACT }, coordinatorStaff];

const act = (does: string, grants: readonly PermissionGrant[], also?: string): PermissionRule =>
  also === undefined ? { kind: 'act', grants, does } : { kind: 'act', grants, does, also };
const read = (does: string, grants: readonly PermissionGrant[], also?: string): PermissionRule =>
  also === undefined ? { kind: 'read', grants, does } : { kind: 'read', grants, does, also };

export const PERMISSIONS = {
  'identity.org.create': act('register an organisation', [coordinatorAdmin]),
  'identity.org.list': read('see every organisation (others see their own)', [coordinatorAnyone]),
  'identity.user.create': act('add a user to an organisation (with a first token)', [
    { kinds: 'any', roles: ADMIN, own: true },
    coordinatorAdmin,
  ]),
  'identity.user.list': read("list an organisation's users", [{ kinds: 'any', roles: ADMIN, own: true }, coordinatorAdmin]),
  'identity.token.manage': {
    kind: 'self',
    grants: [{ kinds: 'any', roles: ANY_ROLE }],
    does: 'create, list and revoke your own API tokens',
  },

  'audit.event.list': read(
    'read the audit trail: all of it (coordinator), or the events of your own organisation',
    [coordinatorStaff, { kinds: 'any', roles: ADMIN, own: true }],
    'a line about a record you may not see shows no content',
  ),

  'audit.chain.verify': act('walk the whole audit chain and its signed checkpoints through the API', [coordinatorAdmin]),

  'intake.submission.create': act('submit a document of findings', [{ kinds: 'any', roles: ACT }], 'within the reporter quota'),
  'intake.cluster.regroup': act('merge and split clusters, undo a regroup, decide near-duplicate proposals', [coordinatorStaff]),
  'intake.regroup.list': read("list a cluster's merges and splits", [coordinatorStaff]),

  'validation.queue.list': read('read the triage queue', [coordinatorAnyone], 'only clusters whose every report you may see'),
  'validation.cluster.decide': act('move a cluster to another state (verdicts)', [coordinatorStaff], 'valid only at quorum'),
  'validation.attempt.create': act(
    'record a validation attempt; claim, report and release validation jobs',
    [{ kinds: 'any', roles: ACT }],
    "the organisation's kind is one of the validation policy's validatorKinds and it is independent of the reporters",
  ),
  'validation.attempt.list': read("see every organisation's attempts and who decided", [coordinatorStaff]),
  'validation.evidence.upload': act('attach evidence to a cluster you may see', [{ kinds: 'any', roles: ACT }]),
  'validation.reporter.list': read("see every reporter's and tool's track record (others see their own)", [coordinatorAnyone]),
  'validation.quota.override': act("override or clear a reporter's daily quota", [coordinatorStaff]),
  'validation.policy.update': act('change the validation policy', [coordinatorAdmin]),

  'scoring.decision.read': read("read a subject's priority decision and its history", [coordinatorAnyone]),
  'scoring.priority.read': read(
    "read an operator's ranked priorities: per asset and advisory, the deployer decision, KEV, EPSS and due date",
    [{ kinds: ['operator'], roles: ANY_ROLE, own: true }, coordinatorAnyone],
    "an operator reads its own assets' rows, for the advisories it may see",
  ),
  'scoring.decision.compute': act('prioritize a subject, recompute decisions', [coordinatorStaff]),
  'scoring.policy.update': act('change the prioritization policy', [coordinatorAdmin]),
  'scoring.feed.manage': act('load KEV and EPSS, set where and how often they are refreshed', [coordinatorAdmin]),

  'inventory.asset.manage': act(
    "register and change assets, upload SBOMs (your organisation's; coordinators for any operator)",
    [ownActors, coordinatorStaff],
    'only operator organisations keep inventories',
  ),
  'inventory.inventory.list': read("read any organisation's assets, SBOMs and exposure", [coordinatorAnyone]),
  'inventory.advisory.manage': act('create or update advisories in the match engine', [coordinatorStaff]),
  'inventory.exposure.list': read("read an advisory's affected operators and exposure counts across operators", [coordinatorAnyone]),

  'scanning.campaign.register': act('register a scan campaign of your organisation', [{ kinds: 'any', roles: ACT }]),
  'scanning.campaign.stop': act('stop a campaign of your organisation before its window closes', [ownActors, coordinatorStaff]),
  'scanning.stop.request': act(
    'ask a campaign to stop, delivered to its stop contact at once',
    [{ kinds: ['operator'], roles: ACT }, coordinatorStaff],
    'an operator only for campaigns touching assets it declared',
  ),
  'scanning.lease.claim': act(
    'claim, renew and release leases on scan targets',
    [ownActors, coordinatorStaff],
    'a lease on a network target needs an active campaign of yours covering it',
  ),
  'scanning.asset.manage': act(
    'declare assets to scan policy and set their consent, standing consents, blackout windows and never-actively-scan',
    [{ kinds: ['operator'], roles: ACT, own: true }, coordinatorStaff],
  ),
  'scanning.asset.list': read("read every operator's declared assets and scan policies (operators read their own)", [coordinatorAnyone]),
  'scanning.gaps.read': read("read the coverage gaps across every operator's inventory (operators read their own)", [coordinatorAnyone]),

  'frontier.model.enroll': act('enroll a model for voluntary review', [{ kinds: ['model_developer'], roles: ACT }]),
  'frontier.model.update': act("change a model's details", [developerActors]),
  'frontier.model.determine': act('record a covered-model determination', governmentActors, 'an agency records its own only'),
  'frontier.review.manage': act('open, extend, end or withdraw a review of your model; add review material', [developerActors]),
  'frontier.review.oversee': read(
    "see all of a review's activity (access log, materials without a grant)",
    [{ kinds: 'any', roles: ANY_ROLE, own: true }, coordinatorAnyone],
    "the review's developer",
  ),
  'frontier.review.report': read('read the review report', [
    { kinds: ['model_developer'], roles: ANY_ROLE, own: true },
    { kinds: ['agency', 'coordinator'], roles: ANY_ROLE },
  ]),
  'frontier.grant.manage': act('grant access to your model, revoke a grant', [developerActors]),
  'frontier.grant.use': act("acknowledge a grant's terms, report a use of it", [ownActors], 'the grantee'),
  'frontier.evaluation.create': act(
    'attach evaluations and risk findings to a review',
    governmentActors,
    'an agency holds a grant on the review',
  ),
  'frontier.risk-finding.status': act("set a risk finding's status", [ownActors], "the review's developer or the finding's author"),
  'frontier.vulnerability.report': act(
    'report a vulnerability a model found',
    [{ kinds: 'any', roles: ACT }],
    "the review's developer, the coordinator, or a grantee of the review",
  ),
  'frontier.partner.nominate': act('nominate a trusted partner, score a nomination again', [developerActors, ...governmentActors]),
  'frontier.partner.approve': act('sign off on a trusted partner for your side', [
    { kinds: ['model_developer'], roles: ADMIN, own: true },
    { kinds: ['agency', 'coordinator'], roles: ADMIN },
  ]),
  'frontier.policy.update': act('change the frontier policy', [coordinatorAdmin]),
  'frontier.agreement.manage': act(
    'propose, sign or end a voluntary testing agreement for your side',
    [
      { kinds: ['model_developer'], roles: ADMIN, own: true },
      { kinds: ['agency', 'coordinator'], roles: ADMIN, own: true },
    ],
    'an admin of one of its two parties; ending it ends no review and gates nothing',
  ),

  'governance.jobs.oversee': read(
    "count every organisation's background work per kind of job (others see their own organisation's works, without job counts)",
    [coordinatorStaff],
  ),

  'governance.retention.update': act('change the retention table', [coordinatorAdmin]),
  'governance.retention.plan': read('see what the next purge would delete, and why', [coordinatorStaff]),
  'governance.retention.purge': act('run the retention purge now', [coordinatorAdmin]),
  'governance.hold.manage': act('place and release legal holds', [coordinatorAdmin]),
  'governance.hold.list': read('list legal holds', [coordinatorStaff]),
  'governance.tombstone.list': read('list what purges deleted (tombstones): all of it, or your own organisation’s', [
    coordinatorStaff,
    { kinds: 'any', roles: ADMIN, own: true },
  ]),
  'governance.export.recipient': act("export for another organisation, filtered by that recipient's entitlements", [coordinatorStaff]),
  'governance.org.export': read('export everything the clearinghouse holds about an organisation', [
    { kinds: 'any', roles: ADMIN, own: true },
    coordinatorAdmin,
  ]),
  'governance.org.remove': act(
    "remove an organisation's data when it leaves",
    [{ kinds: 'any', roles: ADMIN, own: true }, coordinatorAdmin],
    'honours legal holds, the records the retention table keeps and the published record',
  ),

  'cases.case.open': act('open a case from accepted clusters', [coordinatorStaff]),
  'cases.case.oversee': read('read every case, its participants, statements, channels and timeline (others: the cases they take part in)', [
    coordinatorAnyone,
  ]),
  'cases.participant.manage': act('add participants to a case, approve or decline suggested vendors', [coordinatorStaff]),
  'cases.vendor.propose': act(
    'propose another vendor for a case you take part in',
    [{ kinds: ['vendor'], roles: ACT }, coordinatorStaff],
    'an active participant of the case',
  ),
  'cases.scope.manage': act('declare the package URL namespaces and products a vendor owns', [
    { kinds: ['vendor'], roles: ACT, own: true },
    coordinatorStaff,
  ]),
  'cases.embargo.propose': act(
    'propose an embargo end, or report a leak, in a case you take part in',
    [{ kinds: 'any', roles: ACT }],
    'an active participant of the case',
  ),
  'cases.embargo.decide': act("accept or reject embargo proposals, end a case's embargo", [coordinatorStaff]),
  'cases.statement.write': act(
    "state a vendor's status for a vulnerability and product of a case",
    [{ kinds: ['vendor'], roles: ACT, own: true }, coordinatorStaff],
    'the vendor takes part in the case',
  ),
  'cases.statement.approve': act("approve or reject a vendor's statement for publication", [coordinatorStaff]),
  'cases.post.create': act('post in a case channel you read', [{ kinds: 'any', roles: ACT }], 'the common thread, or your own channel'),
  'cases.policy.update': act('change the disclosure policy (embargo deadlines, reminders, automatic opening)', [coordinatorAdmin]),
  'cases.cve.manage': act('configure CNA blocks of CVE ids and per-organisation quotas', [coordinatorAdmin]),
  'cases.cve.assign': act('reserve CVE ids, assign them to a case, publish or reject them', [coordinatorStaff], 'within the quota'),

  'advisories.advisory.oversee': read(
    'read every advisory draft (others: the published advisories, and drafts of the cases they take part in)',
    [coordinatorAnyone],
  ),
  'advisories.advisory.generate': act("generate or refresh a case's CSAF advisory draft", [coordinatorStaff]),
  'advisories.advisory.publish': act(
    'publish an advisory (signed, TLP:CLEAR, served by the CSAF provider), or its next revision',
    [coordinatorStaff],
    "the case's embargo has ended",
  ),

  'notify.webhook.list': read("read an organisation's webhooks, deliveries and dead letters", [
    { kinds: 'any', roles: ANY_ROLE, own: true },
  ]),
  'notify.webhook.manage': act(
    'register, change, test and delete webhooks; rotate their secrets; replay dead letters',
    [{ kinds: 'any', roles: ADMIN, own: true }],
    'destinations must be public addresses or allow-listed',
  ),
  'notify.allowlist.manage': act('allow-list non-public webhook destinations (never cloud metadata services)', [coordinatorAdmin]),
  'notify.inbox.mark': act("mark your organisation's inbox notifications read", [ownActors]),
  'notify.remediation.report': act(
    "report remediation of an advisory on your organisation's assets",
    [ownActors],
    'also without a token, through the signed link of the notification',
  ),
  'notify.remediation.oversee': read("see every operator's remediation of an advisory (shares, by sector, CSV)", [coordinatorAnyone]),
  'notify.prenotice.send': act('pre-notify, under embargo, the operators whose inventories match an advisory', [coordinatorStaff]),
} as const satisfies Record<string, PermissionRule>;

export type Permission = keyof typeof PERMISSIONS;

export const PERMISSION_NAMES = Object.keys(PERMISSIONS) as Permission[];

export function isPermission(name: string): name is Permission {
  return Object.hasOwn(PERMISSIONS, name);
}
