/**
 * npm run forget -- <channelType> <customerId> [--twilio] [--json]
 *
 * Deletes everything the middleware holds about one customer of one channel (sessions,
 * pending and dead-lettered entries, dedupe keys, web chat transcript) from the store
 * DATABASE_URL names; with --twilio, first the Twilio conversations of
 * their sessions and the files they uploaded to the web chat, which needs the middleware's
 * full configuration (without it, those files are left to the running middleware's cleanup,
 * no longer linked to the customer). Prints counts only. The erased dedupe keys are
 * tombstoned as the middleware does it, so it reads the same CUSTOMER_IDENTITY_SECRET (or
 * TWILIO_AUTH_TOKEN), INBOUND_SIGNATURE_TOLERANCE_SECONDS, RETENTION_DEDUPE_DAYS and channels file.
 */
import { parseCommandLine, runWhenMain, UsageError } from '../config/cli.js';
import { databaseLocation, loadConfig } from '../config/load-config.js';
import { openStore } from '../store/index.js';
import { createTwilioClient } from '../twilio/client.js';
import { createGatewayFor } from '../flex/conversations-gateway.js';
import { createMcsClient } from '../flex/mcs-client.js';
import { eraseCustomer, type ErasureDeps, type ErasureReport } from './erasure.js';
import { erasureTombstonesFromEnv } from './erasure-tombstones.js';

const USAGE = 'usage: npm run forget -- <channelType> <customerId> [--twilio] [--json]';

export async function runForgetCli(argv: string[], env: Record<string, string | undefined>, out: (line: string) => void): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, {
    twilio: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  });
  if (values.help) {
    out(USAGE);
    return 0;
  }
  if (positionals.length !== 2) throw new UsageError('a channel type and a customer id are required');
  const [channelType, customerId] = positionals as [string, string];
  const { gateway, mcs } = values.twilio ? twilioFor(env) : {};
  const store = await openStore(databaseLocation(env.DATABASE_URL), { tombstones: erasureTombstonesFromEnv(env) });
  try {
    const report = await eraseCustomer({ store, transcripts: store.transcripts, gateway, mcs }, channelType, customerId, values.twilio);
    if (values.json) out(JSON.stringify({ erased: report }, null, 2));
    else printReport(report, out);
    return 0;
  } finally {
    await store.close();
  }
}

function twilioFor(env: Record<string, string | undefined>): Pick<ErasureDeps, 'gateway' | 'mcs'> {
  const config = loadConfig(env);
  const twilio = { ...config.twilio, timeoutMs: 15_000 };
  return { gateway: createGatewayFor(config, createTwilioClient(twilio)), mcs: createMcsClient(twilio) };
}

function printReport(report: ErasureReport, out: (line: string) => void): void {
  out(`sessions: ${report.sessions}`);
  out(`pending entries: ${report.pendingEntries}`);
  out(`dead letters: ${report.deadLetters}`);
  out(`dedupe keys: ${report.dedupeKeys}`);
  out(`web chat transcript events: ${report.transcriptEvents}`);
  out(`post-chat surveys: ${report.surveys}`);
  if (report.uploads) {
    const { deleted, alreadyGone, leftToCleanup } = report.uploads;
    out(`uploaded files deleted: ${deleted} (already gone: ${alreadyGone}; left to the middleware's cleanup: ${leftToCleanup})`);
  }
  if (report.twilio) out(`Twilio conversations deleted: ${report.twilio.deleted} (already gone: ${report.twilio.alreadyGone})`);
}

await runWhenMain(import.meta.url, USAGE, runForgetCli);
