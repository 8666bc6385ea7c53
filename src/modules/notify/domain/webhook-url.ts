import { judgeDestination } from './address-class.js';
import { parseIp, type Cidr, type IpAddress } from './ip-address.js';

/**
 * The registration-time check of a webhook URL. It refuses what can be refused from the URL alone; the
 * address a host name resolves to is judged again at connect time, for every connection (DNS rebinding).
 */
export const MAX_WEBHOOK_URL_LENGTH = 2048;

export interface CheckedWebhookUrl {
  /** The URL as the WHATWG parser normalized it: what is stored and requested. */
  readonly href: string;
  /** The host without brackets. */
  readonly hostname: string;
  /** The address when the host is an IP literal. */
  readonly literal: IpAddress | null;
}

export type WebhookUrlCheck = { readonly ok: true; readonly url: CheckedWebhookUrl } | { readonly ok: false; readonly reason: string };

// RFC 6761 / 6762 / 8375 special-use names and the suffixes cloud metadata services answer under.
const SPECIAL_NAME = /(^|\.)(localhost|local|internal|home\.arpa|localdomain|onion|test|invalid|example)$/;

/**
 * Whether `text` may be registered as a webhook: an absolute `https:` URL without credentials or fragment,
 * whose host is a public IP address or a fully qualified name that is not special-use. Plain `http:` is
 * accepted only for an IP literal that a coordinator admin allow-listed (test receivers on loopback).
 */
export function checkWebhookUrl(text: string, allowList: readonly Cidr[]): WebhookUrlCheck {
  if (text.length > MAX_WEBHOOK_URL_LENGTH) return { ok: false, reason: `is longer than ${MAX_WEBHOOK_URL_LENGTH} characters` };
  if (/[\s\\]/.test(text)) return { ok: false, reason: 'contains white space or a backslash' };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: 'is not an absolute URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return { ok: false, reason: `must use https, not ${url.protocol.slice(0, -1)}` };
  if (url.username !== '' || url.password !== '') return { ok: false, reason: 'must not contain credentials' };
  if (url.hash !== '' || text.includes('#')) return { ok: false, reason: 'must not contain a fragment' };
  if (url.port === '0') return { ok: false, reason: 'must not use port 0' };
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const literal = parseIp(hostname);
  if (literal !== null) {
    const verdict = judgeDestination(literal, allowList);
    if (!verdict.allowed) return { ok: false, reason: `points at ${verdict.reason}` };
    if (url.protocol === 'http:' && !verdict.allowListed)
      return { ok: false, reason: 'must use https (plain http only to an allow-listed address)' };
    return { ok: true, url: { href: url.href, hostname, literal } };
  }
  if (url.protocol === 'http:') return { ok: false, reason: 'must use https (plain http only to an allow-listed address)' };
  const name = hostname.replace(/\.$/, '').toLowerCase();
  if (!name.includes('.')) return { ok: false, reason: `host ${hostname} is not a fully qualified domain name` };
  if (SPECIAL_NAME.test(name)) return { ok: false, reason: `host ${hostname} is a special-use name that never leads to a public receiver` };
  return { ok: true, url: { href: url.href, hostname, literal: null } };
}
