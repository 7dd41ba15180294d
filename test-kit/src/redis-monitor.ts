import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { Redis } from 'ioredis';
import { redisProgram } from './redis-programs.js';

export interface RedisNodeAddress {
  host: string;
  port: number;
}

/** What the nodes ran while watched: commands clients sent (each one request) and those scripts ran, by name. */
export interface CommandCount {
  /** Commands clients sent: EVALSHA counts one, however much its script does. */
  sent: number;
  /** Commands run inside scripts. */
  inScripts: number;
  /** By command name; a script's own commands as `(script) <name>`. */
  byName: Map<string, number>;
}

/** The clients' own housekeeping (cluster topology, readiness, this watch), not the store's work. */
const HOUSEKEEPING = new Set(['cluster', 'info', 'ping', 'command', 'client', 'monitor', 'echo', 'select', 'hello', 'readonly']);

/**
 * Counts every command the nodes run while `work` runs, from `redis-cli monitor` on each node
 * (MONITOR tells a script's commands from a client's). Exact, not sampled: once `work` is done,
 * an ECHO of a fresh marker on each node marks where its count ends.
 */
export async function countRedisCommands(nodes: RedisNodeAddress[], work: () => Promise<void>): Promise<CommandCount> {
  const cli = redisProgram('redis-cli');
  if (!cli) throw new Error('redis-cli is not installed: apt-get install -y redis-server (.ci/run does it), or set REDIS_CLI_PATH');
  const counted: CommandCount = { sent: 0, inScripts: 0, byName: new Map() };
  const marker = `end-of-count-${randomUUID()}`;
  let counting = true;
  const watches = nodes.map((node) => {
    const monitor = spawn(cli, ['-h', node.host, '-p', String(node.port), 'monitor'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const started = new Promise((resolve) => monitor.stdout.once('data', resolve));
    let markerSeen!: () => void;
    const ended = new Promise<void>((resolve) => (markerSeen = resolve));
    createInterface({ input: monitor.stdout }).on('line', (line) => {
      const match = /^[\d.]+ \[\d+ ([^\]]+)\] "([^"]+)"(.*)$/.exec(line);
      if (!match) return;
      const [, source, command, rest] = match as unknown as [string, string, string, string];
      const name = command.toLowerCase();
      if (name === 'echo' && rest.includes(marker)) markerSeen();
      if (!counting || HOUSEKEEPING.has(name)) return;
      const fromScript = source === 'lua';
      if (fromScript) counted.inScripts += 1;
      else counted.sent += 1;
      const label = fromScript ? `(script) ${name}` : name;
      counted.byName.set(label, (counted.byName.get(label) ?? 0) + 1);
    });
    return { monitor, started, ended };
  });
  try {
    // redis-cli prints OK once it monitors: nothing after that is missed.
    await Promise.all(watches.map((watch) => watch.started));
    await work();
    await Promise.all(
      nodes.map(async (node) => {
        const client = new Redis({ ...node, lazyConnect: true });
        await client.connect();
        await client.echo(marker);
        client.disconnect();
      }),
    );
    await Promise.all(watches.map((watch) => watch.ended));
    counting = false;
    return counted;
  } finally {
    for (const watch of watches) watch.monitor.kill();
  }
}
