import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCidr, type Cidr } from './ip-address.js';
import { checkWebhookUrl } from './webhook-url.js';

// Published SSRF payloads (README beside the file): each reaches the server itself, a private network or a
// metadata service, by a spelling naive filters miss.
const bypasses = readFileSync(new URL('./test-data/payloads-all-the-things/ssrf-localhost-bypasses.txt', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '');

const loopback = ['127.0.0.0/8', '::1/128'].map((t) => parseCidr(t) as Cidr);

describe('the webhook URL check', () => {
  it.each(bypasses)('refuses %s, with or without https', (url) => {
    expect(checkWebhookUrl(url, []).ok).toBe(false);
    expect(checkWebhookUrl(url.replace(/^http:/, 'https:'), []).ok).toBe(false);
  });

  it('accepts https to public names and addresses, normalized', () => {
    expect(checkWebhookUrl('https://hooks.Example-Operator.com:8443/clearinghouse?x=1', [])).toEqual({
      ok: true,
      url: { href: 'https://hooks.example-operator.com:8443/clearinghouse?x=1', hostname: 'hooks.example-operator.com', literal: null },
    });
    expect(checkWebhookUrl('https://8.8.8.8/hook', [])).toMatchObject({ ok: true, url: { hostname: '8.8.8.8' } });
    expect(checkWebhookUrl('https://[2606:4700:4700::1111]/hook', [])).toMatchObject({
      ok: true,
      url: { hostname: '2606:4700:4700::1111' },
    });
  });

  it.each([
    ['http://hooks.example-operator.com/', /must use https/],
    ['http://8.8.8.8/', /must use https/],
    ['ftp://hooks.example-operator.com/', /must use https, not ftp/],
    ['gopher://127.0.0.1:6379/_save', /must use https, not gopher/],
    ['https://user:pass@hooks.example-operator.com/', /credentials/],
    ['https://hooks.example-operator.com/#frag', /fragment/],
    ['https://hooks.example-operator.com:0/', /port 0/],
    ['https://metadata/computeMetadata/v1/', /not a fully qualified/],
    ['https://metadata.google.internal/computeMetadata/v1/', /special-use/],
    ['https://printer.local/', /special-use/],
    ['https://a.b.localhost/', /special-use/],
    ['hooks.example-operator.com/path', /absolute URL/],
    [`https://hooks.example-operator.com/${'a'.repeat(2100)}`, /longer than 2048/],
    ['https://hooks.example-operator.com/a b', /white space/],
  ])('refuses %s', (url, reason) => {
    const result = checkWebhookUrl(url, []);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it('accepts plain http only to an allow-listed address (test receivers on loopback)', () => {
    expect(checkWebhookUrl('http://127.0.0.1:4567/hook', loopback)).toMatchObject({
      ok: true,
      url: { href: 'http://127.0.0.1:4567/hook' },
    });
    expect(checkWebhookUrl('http://[::1]:4567/hook', loopback)).toMatchObject({ ok: true, url: { hostname: '::1' } });
    expect(checkWebhookUrl('http://2130706433:4567/', loopback)).toMatchObject({ ok: true, url: { href: 'http://127.0.0.1:4567/' } });
    expect(checkWebhookUrl('http://10.0.0.1/', loopback).ok).toBe(false);
    expect(checkWebhookUrl('http://localhost:4567/', loopback).ok).toBe(false);
  });
});
