/**
 * Whether a browser page of `origin` may use the web chat: no `Origin` (not a browser),
 * the middleware's own origin (the request's `Host`, or PUBLIC_BASE_URL's), one of
 * `allowed`, or any when `allowed` holds `*`.
 */
export function isAllowedOrigin(origin: string | undefined, request: { host?: string; publicBaseUrl?: string }, allowed: readonly string[]): boolean {
  if (origin === undefined) return true;
  if (allowed.includes('*') || allowed.includes(origin)) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (request.host !== undefined && sameHost(url, request.host)) return true;
  return request.publicBaseUrl !== undefined && url.origin === new URL(request.publicBaseUrl).origin;
}

/** Parses a list of origins such as WEBCHAT_ALLOWED_ORIGINS (comma-separated, or `*`); problems name the variable and the bad entries. */
export function parseAllowedOrigins(value: string, variable = 'WEBCHAT_ALLOWED_ORIGINS'): { origins: string[]; problems: string[] } {
  const origins: string[] = [];
  const problems: string[] = [];
  for (const entry of value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    if (entry === '*') {
      origins.push(entry);
      continue;
    }
    let url: URL | undefined;
    try {
      url = new URL(entry);
    } catch {
      url = undefined;
    }
    if (!url || !/^https?:$/.test(url.protocol) || url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
      problems.push(`${variable}: "${entry.slice(0, 100)}" is not an origin such as https://www.example.com (scheme and host, no path)`);
    } else {
      origins.push(url.origin);
    }
  }
  return { origins, problems };
}

/** A Host header names the page's host, read through the same URL parser so a default port written out still matches. */
function sameHost(page: URL, host: string): boolean {
  try {
    return new URL(`${page.protocol}//${host}`).host === page.host;
  } catch {
    return false;
  }
}
