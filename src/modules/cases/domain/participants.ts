/**
 * Who takes part in a case, and which discussion channels each of them reads. A case with 150 vendors
 * stays usable because every participant organisation has a private channel with the coordinators beside
 * the common thread: a vendor reads the common thread and its own channel, never another vendor's.
 */

export const PARTICIPANT_ROLES = ['reporter', 'vendor', 'coordinator', 'observer'] as const;
export type ParticipantRole = (typeof PARTICIPANT_ROLES)[number];

/**
 * The organisation kind a role needs, where it needs one: a vendor states for its products, and only the
 * clearinghouse coordinates (a coordinator reads every channel and every statement of the case).
 */
export const ORG_KIND_OF_ROLE: Readonly<Partial<Record<ParticipantRole, string>>> = { vendor: 'vendor', coordinator: 'coordinator' };

/**
 * `suggested`: proposed (from purls, or by another vendor) and awaiting a coordinator; `active`: taking
 * part; `removed`: no longer, kept for the timeline.
 */
export const PARTICIPANT_STATES = ['suggested', 'active', 'removed'] as const;
export type ParticipantState = (typeof PARTICIPANT_STATES)[number];

export interface ParticipantView {
  readonly orgId: string;
  readonly role: ParticipantRole;
  readonly state: ParticipantState;
}

/** The common thread every active participant reads. */
export const COMMON_CHANNEL = 'common';

/** The private channel of one participant organisation with the coordinators. */
export function privateChannel(orgId: string): string {
  return `org:${orgId}`;
}

/** The organisation whose private channel this is, or null for the common thread or a malformed name. */
export function channelOrg(channel: string): string | null {
  return channel.startsWith('org:') && channel.length > 4 ? channel.slice(4) : null;
}

/** Who is reading: an organisation, and whether it is the coordinator (which reads every channel). */
export interface ChannelReader {
  readonly orgId: string;
  readonly coordinator: boolean;
}

/**
 * Whether the reader may read (and post to) the channel of a case with these participants: coordinators
 * every channel; an active participant the common thread and its own private channel; nobody else anything.
 */
export function canUseChannel(reader: ChannelReader, channel: string, participants: readonly ParticipantView[]): boolean {
  if (reader.coordinator) return channel === COMMON_CHANNEL || participants.some((p) => privateChannel(p.orgId) === channel);
  const me = participants.find((p) => p.orgId === reader.orgId && p.state === 'active');
  if (me === undefined) return false;
  return channel === COMMON_CHANNEL || channel === privateChannel(me.orgId);
}

/** The channels the reader may read, the common thread first. */
export function channelsOf(reader: ChannelReader, participants: readonly ParticipantView[]): string[] {
  if (reader.coordinator) return [COMMON_CHANNEL, ...participants.filter((p) => p.state !== 'removed').map((p) => privateChannel(p.orgId))];
  return participants.some((p) => p.orgId === reader.orgId && p.state === 'active') ? [COMMON_CHANNEL, privateChannel(reader.orgId)] : [];
}
