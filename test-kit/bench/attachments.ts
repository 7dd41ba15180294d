/**
 * `npm run bench` (its attachments part; alone: `npm run bench:attachments`): customer
 * attachments through one middleware instance, run as `npm start` runs it (SQLite), against
 * the Twilio stand-in and a local media host, both in this process. Prints throughput and the
 * instance's resident memory (VmRSS, sampled every 20 ms) before and at the peak of:
 * BENCH_ATTACHMENTS_LARGE (20) concurrent attachments of BENCH_ATTACHMENT_MB (16) MB, one per
 * customer, then BENCH_ATTACHMENTS_SMALL (200) of 100 KB. Each is downloaded, spooled to
 * disk, uploaded to MCS and posted; it counts once its message is in the conversation.
 */
import { availableParallelism, cpus } from 'node:os';
import { channelEnvPrefix } from '@custom-channels/contract';
import { createTwilioClient, signInboundRequest } from '@custom-channels/middleware';
import { startSandbox } from '@custom-channels/twilio-sandbox';
import { writeChannelsFile } from '../src/channels-file.js';
import { freePort } from '../src/free-port.js';
import { startMediaHost } from '../src/media-host.js';
import { middlewareEnvironment } from '../src/middleware-env.js';
import { startMiddlewareProcess } from '../src/middleware-process.js';
import { rssMb } from '../src/process-memory.js';
import { buildMiddleware, productionCommand } from '../src/production-command.js';
import { startReceiver } from '../src/receiver.js';

const SECRET = 'bench-channel-secret-0123456789abcdef';
const large = Number(process.env.BENCH_ATTACHMENTS_LARGE ?? 20);
const largeBytes = Math.round(Number(process.env.BENCH_ATTACHMENT_MB ?? 16) * 1_000_000);
const small = Number(process.env.BENCH_ATTACHMENTS_SMALL ?? 200);
const log = (line: string) => process.stderr.write(`${line}\n`);

buildMiddleware();
const { env: startEnv, nodeOptions, entry } = productionCommand();
const sandbox = await startSandbox({ port: 0 });
const receiver = await startReceiver(SECRET);
const host = await startMediaHost();
const prefix = channelEnvPrefix('chatapp');
const env = await middlewareEnvironment({ sandbox, port: await freePort(), channelSecret: SECRET, deliveryUrl: receiver.url });
const middleware = await startMiddlewareProcess(
  {
    ...startEnv,
    ...env,
    LOG_LEVEL: 'warn',
    CHANNELS_FILE: writeChannelsFile({}, { chatapp: { accept: ['image/*', 'application/pdf'], maxBytes: 16 * 1024 * 1024 } }),
    [`${prefix}_MEDIA_ALLOW_HTTP`]: 'true',
    [`${prefix}_MEDIA_ALLOW_HOSTS`]: '127.0.0.1',
  },
  [...nodeOptions, entry],
);
const admin = createTwilioClient({ accountSid: sandbox.accountSid, authToken: sandbox.authToken, apiBaseUrl: sandbox.url });

async function arrived(): Promise<number> {
  let count = 0;
  for (const conversation of await admin.conversations.v1.conversations.list({ pageSize: 100 })) {
    const messages = await admin.conversations.v1.conversations(conversation.sid).messages.list({ pageSize: 100 });
    count += messages.filter((message) => Array.isArray(message.media) && message.media.length > 0).length;
  }
  return count;
}

/** Sends `count` attachments of `bytes`, one customer each, all at once; waits until every one is in Flex. */
async function run(label: string, count: number, bytes: number, before: number) {
  const pid = middleware.pid!;
  const files = Array.from({ length: count }, (_, index) => host.add(`${label}-${index}.png`, { size: bytes }));
  const baseline = rssMb(pid);
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 20);
  const started = Date.now();
  await Promise.all(
    files.map(async (file, index) => {
      const body = JSON.stringify({ id: `${label}-${index}`, from: { id: `${label}-customer-${index}` }, media: [{ url: file.url }] });
      const response = await fetch(`${middleware.url}/inbound/chatapp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signInboundRequest(SECRET, body) },
        body,
      });
      if (response.status !== 202) throw new Error(`attachment refused: ${response.status}`);
    }),
  );
  while ((await arrived()) < before + count) await new Promise((resolve) => setTimeout(resolve, 100));
  const seconds = (Date.now() - started) / 1000;
  clearInterval(sampler);
  return { label, count, bytes, seconds, baseline, peak };
}

try {
  const warmUp = await run('warm-up', 5, 100_000, 0);
  const results = [await run('large', large, largeBytes, warmUp.count)];
  results.push(await run('small', small, 100_000, warmUp.count + large));
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  process.stdout.write(
    `\nAttachments (npm run bench): ${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${availableParallelism()} cores (${cpu}); one instance as npm start runs it, SQLite\n`,
  );
  process.stdout.write(
    '| attachments at once | size each | time | attachments/s | MB/s | RSS before | RSS peak | RSS increase |\n|---|---|---|---|---|---|---|---|\n',
  );
  for (const r of results) {
    const mb = (r.count * r.bytes) / 1_000_000;
    process.stdout.write(
      `| ${r.count} | ${(r.bytes / 1_000_000).toFixed(1)} MB | ${r.seconds.toFixed(1)} s | ${(r.count / r.seconds).toFixed(1)} | ${(mb / r.seconds).toFixed(1)} | ${r.baseline.toFixed(0)} MB | ${r.peak.toFixed(0)} MB | ${(r.peak - r.baseline).toFixed(0)} MB |\n`,
    );
  }
} finally {
  await middleware.stop();
  await Promise.all([host.close(), receiver.close()]);
  await sandbox.close();
  log('done');
}
