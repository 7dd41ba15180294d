import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort } from './free-port.js';
import { redisProgram } from './redis-programs.js';

const run = promisify(execFile);

export interface RedisClusterNode {
  host: string;
  port: number;
}

export interface RedisCluster {
  /** `redis+cluster://127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3`, the form DATABASE_URL takes. */
  url: string;
  masters: RedisClusterNode[];
  /** Every key stored on one master (SCAN), to see where keys landed. */
  keysOn(node: RedisClusterNode, match?: string): Promise<string[]>;
  stop(): Promise<void>;
}

const MASTERS = 3;

/**
 * Starts a real Redis Cluster of three masters from Debian's redis-server on free loopback
 * ports, each in its own temp folder, joined with `redis-cli --cluster create`; resolves once
 * every node reports the cluster ok. Without `appendFsync` the nodes keep nothing on disk (tests
 * never restart them); with it, each writes an append-only file as a production node would.
 */
export async function startRedisCluster(options: { appendFsync?: 'always' | 'everysec' } = {}): Promise<RedisCluster> {
  const server = redisProgram('redis-server');
  const cli = redisProgram('redis-cli');
  if (!server || !cli)
    throw new Error(
      'redis-server and redis-cli are not installed: apt-get install -y redis-server (.ci/run does it), or set REDIS_SERVER_PATH and REDIS_CLI_PATH',
    );
  const masters: RedisClusterNode[] = [];
  for (let i = 0; i < MASTERS; i++) masters.push({ host: '127.0.0.1', port: await freePort() });
  const dirs = masters.map(() => mkdtempSync(join(tmpdir(), 'cc-redis-cluster-')));
  const children: ChildProcess[] = masters.map(({ port }, i) =>
    spawn(
      server,
      [
        ...['--port', String(port), '--bind', '127.0.0.1', '--dir', dirs[i]!, '--save', ''],
        ...(options.appendFsync ? ['--appendonly', 'yes', '--appendfsync', options.appendFsync] : ['--appendonly', 'no']),
        ...['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '5000'],
      ],
      { stdio: 'ignore' },
    ),
  );
  const stop = async () => {
    await Promise.all(
      children.map((child) => {
        if (child.exitCode !== null || child.signalCode !== null) return undefined;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        return exited;
      }),
    );
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  };
  try {
    await Promise.all(masters.map((node, i) => untilAnswering(node, children[i]!)));
    await run(cli, ['--cluster', 'create', ...masters.map(({ host, port }) => `${host}:${port}`), '--cluster-replicas', '0', '--cluster-yes']);
    await Promise.all(masters.map(untilClusterOk));
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url: `redis+cluster://${masters.map(({ host, port }) => `${host}:${port}`).join(',')}`,
    masters,
    async keysOn(node, match = '*') {
      const client = new Redis({ host: node.host, port: node.port, lazyConnect: true });
      try {
        const keys: string[] = [];
        for await (const batch of client.scanStream({ match, count: 500 }) as AsyncIterable<string[]>) keys.push(...batch);
        return keys;
      } finally {
        client.disconnect();
      }
    },
    stop,
  };
}

async function untilAnswering(node: RedisClusterNode, child: ChildProcess): Promise<void> {
  await until(async () => {
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}`);
    return (await info(node, 'PING')) === 'PONG';
  }, 'a cluster node did not start');
}

async function untilClusterOk(node: RedisClusterNode): Promise<void> {
  await until(async () => /cluster_state:ok/.test(await info(node, 'CLUSTER', 'INFO')), 'the cluster did not reach state ok');
}

async function info(node: RedisClusterNode, ...command: string[]): Promise<string> {
  const client = new Redis({ host: node.host, port: node.port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return String(await client.call(command[0]!, ...command.slice(1)));
  } catch {
    return '';
  } finally {
    client.disconnect();
  }
}

async function until(check: () => Promise<boolean>, failure: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${failure} within 20 s`);
}
