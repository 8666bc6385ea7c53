/**
 * Query parameters that carry a credential or a capability (a signed remediation link's `token`, an API
 * key a client put in the query by mistake): their values never reach a log line or an answer's `instance`.
 */
const SECRET_PARAMETER = /^(token|access_token|api_key|apikey|key|secret|password|signature|sig|code|session)$/i;

/** The request URL as it may be logged or echoed: every secret-bearing query value replaced by `REDACTED`. */
export function redactedUrl(url: string): string {
  const at = url.indexOf('?');
  if (at === -1) return url;
  const query = url
    .slice(at + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq === -1 ? pair : pair.slice(0, eq);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        // a malformed escape: judge the name as sent
      }
      return eq !== -1 && SECRET_PARAMETER.test(decoded) ? `${name}=REDACTED` : pair;
    })
    .join('&');
  return `${url.slice(0, at)}?${query}`;
}
