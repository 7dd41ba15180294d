/**
 * npm run forget -- <channelType> <customerId> [--twilio] [--json]
 *
 * Deletes everything the middleware holds about one customer of one channel (sessions,
 * pending and dead-lettered entries, dedupe keys, web chat transcript) from the store
 * DATABASE_URL names; with --twilio, first the Twilio conversations (or Chat channels) of
 * their sessions, which needs the middleware's full configuration. Prints counts only.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadEnvFile } from '../config/env-file.js';
import { loadConfig, PACKAGE_DIR } from '../config/load-config.js';
import { openStore, storeEngine } from '../store/index.js';
import { createTwilioClient } from '../twilio/client.js';
import { openRedisWebchatLog } from '../webchat/redis-webchat-log.js';
import { webchatDatabasePath } from '../webchat/webchat.js';
import { openWebchatLog, type WebchatLog } from '../webchat/webchat-log.js';
import { eraseCustomer, type ErasureDeps, type ErasureReport } from './erasure.js';

const USAGE = 'usage: npm run forget -- <channelType> <customerId> [--twilio] [--json]';

class UsageError extends Error {}

export async function runForgetCli(argv: string[], env: Record<string, string | undefined>, out: (line: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      twilio: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    out(USAGE);
    return 0;
  }
  if (positionals.length !== 2) throw new UsageError('a channel type and a customer id are required');
  const [channelType, customerId] = positionals as [string, string];
  const twilio = values.twilio ? twilioFor(env) : undefined;
  const databaseUrl = env.DATABASE_URL ?? 'sqlite:data/middleware.sqlite';
  const store = await openStore(databaseUrl, PACKAGE_DIR);
  let transcripts: WebchatLog | undefined;
  try {
    transcripts = await openTranscripts(databaseUrl);
    const report = await eraseCustomer({ store, transcripts, twilio }, channelType, customerId, values.twilio);
    if (values.json) out(JSON.stringify({ erased: report }, null, 2));
    else printReport(report, out);
    return 0;
  } finally {
    await transcripts?.close();
    await store.close();
  }
}

function twilioFor(env: Record<string, string | undefined>): ErasureDeps['twilio'] {
  const config = loadConfig(env);
  return { client: createTwilioClient({ ...config.twilio, timeoutMs: 15_000 }), flex: config.flex };
}

function openTranscripts(databaseUrl: string): Promise<WebchatLog> | WebchatLog {
  if (storeEngine(databaseUrl) === 'redis') return openRedisWebchatLog({ url: databaseUrl });
  return openWebchatLog({ path: webchatDatabasePath(databaseUrl) });
}

function printReport(report: ErasureReport, out: (line: string) => void): void {
  out(`sessions: ${report.sessions}`);
  out(`pending entries: ${report.pendingEntries}`);
  out(`dead letters: ${report.deadLetters}`);
  out(`dedupe keys: ${report.dedupeKeys}`);
  out(`web chat transcript events: ${report.transcriptEvents}`);
  if (report.twilio) out(`Twilio conversations/channels deleted: ${report.twilio.deleted} (already gone: ${report.twilio.alreadyGone})`);
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(PACKAGE_DIR, 'src/retention/forget-cli.ts');
if (isMain) {
  try {
    loadEnvFile();
    process.exitCode = await runForgetCli(process.argv.slice(2), process.env, (line) => process.stdout.write(`${line}\n`));
  } catch (error) {
    const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${usage ? `${USAGE}\n` : ''}`);
    process.exitCode = usage ? 2 : 1;
  }
}
