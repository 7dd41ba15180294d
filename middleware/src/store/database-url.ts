/** Kept apart from the client so that checking the configuration does not load ioredis. */

export interface ClusterAddress {
  nodes: Array<{ host: string; port: number }>;
  username?: string;
  password?: string;
  tls: boolean;
}

const CLUSTER_SCHEME = /^(rediss?)\+cluster:\/\//i;

/** `redis+cluster://` and `rediss+cluster://` (TLS) name a Redis Cluster by some of its nodes. */
export function isClusterUrl(url: string): boolean {
  return CLUSTER_SCHEME.test(url);
}

/**
 * Reads `redis+cluster://[user:password@]host:port[,host:port...]` (`rediss+cluster://` for
 * TLS). Throws naming what is wrong; the configuration checks it the same way at start.
 */
export function parseClusterUrl(url: string): ClusterAddress {
  const scheme = CLUSTER_SCHEME.exec(url);
  if (!scheme) throw new Error('must start with redis+cluster:// or rediss+cluster://');
  const rest = url.slice(scheme[0].length);
  const at = rest.lastIndexOf('@');
  const credentials = at >= 0 ? rest.slice(0, at) : '';
  const hosts = at >= 0 ? rest.slice(at + 1) : rest;
  if (/[/?#]/.test(hosts)) throw new Error('a cluster URL has no path, query or fragment (a cluster has only database 0)');
  const nodes = hosts.split(',').map((hostPort) => {
    const match = /^([^:,\s]+):(\d{1,5})$/.exec(hostPort);
    if (!match || Number(match[2]) > 65_535) throw new Error(`"${hostPort}" is not host:port`);
    return { host: match[1]!, port: Number(match[2]) };
  });
  const colon = credentials.indexOf(':');
  const username = colon >= 0 ? credentials.slice(0, colon) : '';
  const password = colon >= 0 ? credentials.slice(colon + 1) : credentials;
  return {
    nodes,
    ...(username ? { username: decodeURIComponent(username) } : {}),
    ...(password ? { password: decodeURIComponent(password) } : {}),
    tls: scheme[1]!.toLowerCase() === 'rediss',
  };
}

/** What is wrong with a cluster URL, or undefined. */
export function clusterUrlProblem(url: string): string | undefined {
  try {
    parseClusterUrl(url);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
