/** Where a channel's attachments may be downloaded from, beyond the default (public https hosts). */
export interface MediaFetchRules {
  /** Plain http is refused unless the channel's configuration allows it. */
  allowHttp: boolean;
  /**
   * Host names (lower case) exempt from the address checks: a channel whose media host is on a
   * private network, the demo and the tests (127.0.0.1).
   */
  allowHosts: ReadonlySet<string>;
}

export const PUBLIC_HTTPS_ONLY: MediaFetchRules = { allowHttp: false, allowHosts: new Set() };

const HOST = /^[a-z0-9.-]+$|^\[[0-9a-f:.]+\]$/;

/** CHANNEL_<TYPE>_MEDIA_ALLOW_HTTP=true and CHANNEL_<TYPE>_MEDIA_ALLOW_HOSTS=a.example,127.0.0.1 */
export function readMediaFetchRules(prefix: string, env: Record<string, string | undefined>, problems: string[]): MediaFetchRules {
  const http = env[`${prefix}_MEDIA_ALLOW_HTTP`];
  if (http !== undefined && http !== '' && !/^(true|false)$/.test(http)) problems.push(`${prefix}_MEDIA_ALLOW_HTTP must be true or false`);
  const hosts = (env[`${prefix}_MEDIA_ALLOW_HOSTS`] ?? '')
    .split(',')
    .map((host) => host.trim().toLowerCase())
    .filter(Boolean);
  const bad = hosts.filter((host) => !HOST.test(host));
  if (bad.length > 0) problems.push(`${prefix}_MEDIA_ALLOW_HOSTS must be a comma-separated list of host names or IP addresses, without ports or paths`);
  return { allowHttp: http === 'true', allowHosts: new Set(hosts) };
}
