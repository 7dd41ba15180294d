import { existsSync } from 'node:fs';

export type RedisProgram = 'redis-server' | 'redis-cli';

const VARIABLE: Record<RedisProgram, string> = { 'redis-server': 'REDIS_SERVER_PATH', 'redis-cli': 'REDIS_CLI_PATH' };

/** Debian's place, then Homebrew's (Intel, Apple silicon). tools/check-test-prerequisites.mjs looks in the same. */
const PLACES = ['/usr/bin', '/usr/local/bin', '/opt/homebrew/bin'];

/** The program's path: the one its variable names, else the first installed; undefined when there is none. */
export function redisProgram(name: RedisProgram): string | undefined {
  const chosen = process.env[VARIABLE[name]];
  if (chosen) return existsSync(chosen) ? chosen : undefined;
  return PLACES.map((dir) => `${dir}/${name}`).find((path) => existsSync(path));
}
