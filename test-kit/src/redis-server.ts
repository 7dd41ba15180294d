import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { redisProgram } from './redis-programs.js';

export interface RedisServer {
  url: string;
  /** Stops the server; with `kill -9` semantics when `crash` is set. */
  stop(options?: { crash?: boolean }): Promise<void>;
  /** Starts it again, stopped or not, on the same port and data (a Redis going away and coming back). */
  restart(): Promise<void>;
}

/**
 * Starts a real redis-server (Debian's package) on a free loopback port, with an
 * append-only file so a restart keeps the data. Fails clearly when it is not installed.
 */
export async function startRedisServer(options: { appendFsync?: 'always' | 'everysec' } = {}): Promise<RedisServer> {
  const binary = redisProgram('redis-server');
  if (!binary) throw new Error('redis-server is not installed: apt-get install -y redis-server (.ci/run does it), or set REDIS_SERVER_PATH');
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'cc-redis-'));
  const launch = async () => {
    const started = spawn(
      binary,
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes', '--appendfsync', options.appendFsync ?? 'always'],
      {
        stdio: 'ignore',
      },
    );
    await waitForPort(port, started);
    return started;
  };
  let child = await launch();
  const stop = async ({ crash = false } = {}) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(crash ? 'SIGKILL' : 'SIGTERM');
    await exited;
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    stop,
    async restart() {
      await stop();
      child = await launch();
    },
  };
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ port, host: '127.0.0.1' }, () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  child.kill('SIGKILL');
  throw new Error('redis-server did not start within 10 s');
}
