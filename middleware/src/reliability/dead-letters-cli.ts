/**
 * npm run dead-letters -- list [--queue to-flex|to-channel] [--limit n] [--json] [--include-payload]
 * npm run dead-letters -- retry <id>
 * npm run dead-letters -- retry --all [--queue to-flex|to-channel]
 *
 * Works on the store DATABASE_URL names (read from the environment, then middleware/.env or
 * ENV_FILE, like the middleware), whether or not the middleware runs: a running instance
 * picks retried entries up at its next poll.
 */
import { parseCommandLine, runWhenMain, UsageError } from '../config/cli.js';
import { ConfigError } from '../config/config.js';
import { databaseLocation } from '../config/load-config.js';
import { createLogHasher, LOG_HASH_KEY_HINT, LOG_HASH_KEY_MIN_LENGTH, type LogHasher } from '../observability/log-hash.js';
import { openStore } from '../store/index.js';
import type { OutboxQueue } from '../store/store.js';
import { type DeadLetterView, isQueue, listDeadLetters, retryAllDeadLetters, retryDeadLetter } from './dead-letters.js';

const USAGE = `usage: npm run dead-letters -- list [--queue to-flex|to-channel] [--limit n] [--json] [--include-payload]
       npm run dead-letters -- retry <id>
       npm run dead-letters -- retry --all [--queue to-flex|to-channel]`;

export async function runDeadLettersCli(argv: string[], env: Record<string, string | undefined>, out: (line: string) => void): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, {
    queue: { type: 'string' },
    limit: { type: 'string' },
    json: { type: 'boolean', default: false },
    'include-payload': { type: 'boolean', default: false },
    all: { type: 'boolean', default: false },
  });
  if (values.help) {
    out(USAGE);
    return 0;
  }
  const [command, id, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  let queue: OutboxQueue | undefined;
  if (values.queue !== undefined) {
    if (!isQueue(values.queue)) throw new UsageError('--queue must be to-flex or to-channel');
    queue = values.queue;
  }

  const store = await openStore(databaseLocation(env.DATABASE_URL));
  try {
    if (command === 'list') {
      if (values.limit !== undefined && !/^\d+$/.test(values.limit)) throw new UsageError('--limit must be a number');
      const letters = await listDeadLetters(store, logHasherOf(env), {
        queue,
        limit: values.limit ? Number(values.limit) : 1000,
        includePayload: values['include-payload'],
      });
      if (values.json) out(JSON.stringify({ deadLetters: letters }, null, 2));
      else printTable(letters, out);
      return 0;
    }
    if (command === 'retry' && values.all && id === undefined) {
      const retried = await retryAllDeadLetters(store, queue);
      for (const entry of retried) out(`dead letter ${entry.id} queued again on ${entry.queue} as ${entry.newId}`);
      out(`${retried.length} dead letter(s) queued again`);
      return 0;
    }
    if (command === 'retry' && id !== undefined && !values.all) {
      if (!/^\d+$/.test(id)) throw new UsageError('the id must be a number (see `list`)');
      const retried = await retryDeadLetter(store, Number(id));
      if (!retried) {
        out(`no dead letter ${id}`);
        return 1;
      }
      out(`dead letter ${retried.id} queued again on ${retried.queue} as ${retried.newId}`);
      return 0;
    }
    if (command === 'retry') throw new UsageError('retry takes a dead letter id, or --all');
    throw new UsageError(command ? `unknown command: ${command}` : 'a command is required');
  } finally {
    await store.close();
  }
}

/** The logs' own hasher, so a listed key matches the log lines of the same customer. */
function logHasherOf(env: Record<string, string | undefined>): LogHasher {
  const key = env.LOG_HASH_KEY;
  if (key === undefined || key.length < LOG_HASH_KEY_MIN_LENGTH) {
    throw new ConfigError([`LOG_HASH_KEY is ${key === undefined ? 'missing' : 'too short'}: it ${LOG_HASH_KEY_HINT}`]);
  }
  return createLogHasher(key);
}

function printTable(letters: DeadLetterView[], out: (line: string) => void): void {
  if (letters.length === 0) {
    out('no dead letters');
    return;
  }
  const rows = letters.map((letter) => [
    String(letter.id),
    letter.queue,
    letter.channelType ?? '',
    letter.type ?? '',
    letter.key,
    String(letter.attempts),
    formatAge(letter.ageSeconds),
    letter.reason,
  ]);
  const header = ['ID', 'QUEUE', 'CHANNEL', 'TYPE', 'KEY', 'ATTEMPTS', 'AGE', 'REASON'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  for (const row of [header, ...rows]) out(row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  '));
  if (letters.some((letter) => letter.payload !== undefined)) {
    for (const letter of letters) out(`${letter.id}: ${JSON.stringify(letter.payload)}`);
  }
}

function formatAge(seconds: number): string {
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)}h`;
  return `${Math.round(seconds / 86_400)}d`;
}

await runWhenMain(import.meta.url, USAGE, runDeadLettersCli);
