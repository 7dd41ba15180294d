import { resolve } from 'node:path';

/** Where the store lives, read once from DATABASE_URL; kept apart from the drivers so that reading it loads neither. */
export type DatabaseLocation = { engine: 'sqlite'; path: string } | { engine: 'redis'; url: string } | ({ engine: 'redis-cluster' } & ClusterAddress);

export type RedisLocation = Exclude<DatabaseLocation, { engine: 'sqlite' }>;

export interface ClusterAddress {
  nodes: Array<{ host: string; port: number }>;
  username?: string;
  password?: string;
  tls: boolean;
}

const CLUSTER_SCHEME = /^(rediss?)\+cluster:\/\//i;

/**
 * Reads a DATABASE_URL: `redis://[user:password@]host[:port][/db]` (also `rediss://`),
 * `redis+cluster://[user:password@]host:port[,host:port...]` for a Redis Cluster (also
 * `rediss+cluster://`), `sqlite:<path>`, `file:<path>`, a bare path, or `sqlite::memory:`;
 * relative paths resolve against `baseDir`. Throws saying what is wrong and what is expected,
 * never echoing the URL (it may hold a password).
 */
export function parseDatabaseUrl(url: string, baseDir: string): DatabaseLocation {
  if (CLUSTER_SCHEME.test(url)) {
    try {
      return { engine: 'redis-cluster', ...parseClusterUrl(url) };
    } catch (error) {
      throw new Error(`${(error as Error).message}; expected redis+cluster://[user:password@]host:port[,host:port...] (rediss+cluster:// for TLS)`, {
        cause: error,
      });
    }
  }
  if (/^rediss?:\/\//i.test(url)) {
    const problem = redisUrlProblem(url);
    if (problem) throw new Error(`${problem}; expected redis://[user:password@]host[:port][/db] (rediss:// for TLS)`);
    return { engine: 'redis', url };
  }
  const path = url.replace(/^(sqlite|file):(\/\/)?/i, '');
  return { engine: 'sqlite', path: path === ':memory:' ? path : resolve(baseDir, path) };
}

function redisUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'not a valid URL';
  }
  if (!url.hostname) return 'the host is missing';
  if (!/^(\/\d{0,2})?$/.test(url.pathname)) return 'the path must be a database number such as /0';
  if (url.search || url.hash) return 'query strings and fragments are not supported';
  return undefined;
}

/** Reads `redis+cluster://[user:password@]host:port[,host:port...]` (`rediss+cluster://` for TLS). */
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
