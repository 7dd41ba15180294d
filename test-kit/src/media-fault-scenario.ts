/**
 * The attachments fault scenario: customers send pictures while Twilio's Media Content
 * Service answers 10% of uploads with 429 and 2% with 500, the channel's media host is down
 * for a while, and the middleware is killed with SIGKILL mid-run. Judged only from what
 * arrived: each conversation's media messages as the stand-in holds them, by file name.
 */
import type { TwilioClient } from '@custom-channels/middleware';
import { channelEnvPrefix } from '@custom-channels/contract';
import { writeChannelsFile } from './channels-file.js';
import {
  CHANNEL,
  customerId,
  postUntilAccepted,
  result,
  startRig,
  tallyMessages,
  twilioFaultCounts,
  waitForDrain,
  type Rig,
  type ScenarioResult,
} from './fault-scenarios.js';
import { startMediaHost, type MediaHost } from './media-host.js';

export interface MediaFaultsOptions {
  customers: number;
  attachmentsPerCustomer: number;
  /** How long the channel's media host answers 503, from the first message on (the report uses 30 s). */
  hostDownMs: number;
  kills?: number;
  /** Bytes of each attachment (default 32 KB). */
  bytes?: number;
  seed?: number;
  deadlineMs?: number;
  log?: (line: string) => void;
}

export async function mediaFaultsScenario(options: MediaFaultsOptions): Promise<ScenarioResult> {
  const kills = options.kills ?? 1;
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  const host = await startMediaHost();
  const prefix = channelEnvPrefix(CHANNEL);
  const rig = await startRig({
    seed: options.seed ?? 17,
    faults: { http: [{ match: { product: 'mcs', method: 'POST' }, rate429: 0.1, rate500: 0.02, retryAfterSeconds: 1 }] },
    env: {
      CHANNELS_FILE: writeChannelsFile({}, { chatapp: { accept: ['image/*'], maxBytes: 16 * 1024 * 1024 } }),
      [`${prefix}_MEDIA_ALLOW_HTTP`]: 'true',
      [`${prefix}_MEDIA_ALLOW_HOSTS`]: '127.0.0.1',
    },
  });
  try {
    const total = options.customers * options.attachmentsPerCustomer;
    const deadline = started + options.hostDownMs + (options.deadlineMs ?? 600_000);
    host.failFor(options.hostDownMs);
    await sendAttachments(rig, host, options, deadline);
    log(`  ${total} attachments acknowledged in ${Date.now() - started} ms; media host down for ${options.hostDownMs} ms`);
    // Each kill comes once a share of the attachments has arrived: downloads and uploads are under way.
    let killsDone = 0;
    for (let k = 1; k <= kills; k += 1) {
      const share = Math.floor((total * k) / (kills + 1));
      await waitFor(async () => (await countArrived(rig.admin)) >= share, `${share} attachments in Flex`, deadline);
      log(`  kill -9 after ${share} attachments arrived`);
      await rig.middleware.crashAndRestart();
      killsDone += 1;
    }
    const lastSent = Date.now();
    log('  waiting for the outbox to drain');
    await waitForDrain(rig, 'to-flex', deadline);
    const drainMs = Date.now() - lastSent;
    const expected = new Map(Array.from({ length: options.customers }, (_, index) => [customerId(index), options.attachmentsPerCustomer]));
    const { observed, wrongSize } = await readAttachments(rig.admin, options.bytes ?? 32 * 1024);
    const tally = tallyMessages(expected, observed);
    const faults = { ...(await twilioFaultCounts(rig.sandbox)), 'media host 503': host.refused, 'kill -9': killsDone };
    return result('attachments: MCS faults + host down + kill -9', total, faults, { ...tally, lost: tally.lost + wrongSize }, drainMs, started);
  } finally {
    await rig.close();
    await host.close();
  }
}

/** Each customer sends its attachments one after the other, each once the previous was acknowledged; customers in parallel. */
async function sendAttachments(rig: Rig, host: MediaHost, options: MediaFaultsOptions, deadline: number): Promise<void> {
  await Promise.all(
    Array.from({ length: options.customers }, async (_, index) => {
      const id = customerId(index);
      for (let n = 1; n <= options.attachmentsPerCustomer; n += 1) {
        const filename = `${id} #${n}.png`;
        const { url } = host.add(filename, { size: options.bytes ?? 32 * 1024 });
        const body = JSON.stringify({ id: `${id}-a${n}`, from: { id, name: `Customer ${index}` }, media: [{ url, filename }] });
        await postUntilAccepted(rig, body, deadline);
      }
    }),
  );
}

async function countArrived(admin: TwilioClient): Promise<number> {
  const { observed } = await readAttachments(admin, 0);
  return [...observed.values()].reduce((sum, numbers) => sum + numbers.length, 0);
}

async function waitFor(check: () => Promise<boolean>, what: string, deadline: number): Promise<void> {
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Every conversation's media messages, by customer: the numbers in their file names, in conversation order; and how many had the wrong size. */
async function readAttachments(admin: TwilioClient, bytes: number): Promise<{ observed: Map<string, number[]>; wrongSize: number }> {
  const observed = new Map<string, number[]>();
  let wrongSize = 0;
  for (const conversation of await admin.conversations.v1.conversations.list({ pageSize: 100 })) {
    for (const message of await admin.conversations.v1.conversations(conversation.sid).messages.list({ order: 'asc', pageSize: 100 })) {
      const [media] = (message.media ?? []) as Array<{ filename?: string; size?: number }>;
      const match = /^(cust-\d+) #(\d+)\.png$/.exec(media?.filename ?? '');
      if (!match) continue;
      if (media!.size !== bytes) wrongSize += 1;
      observed.set(match[1]!, [...(observed.get(match[1]!) ?? []), Number(match[2])]);
    }
  }
  return { observed, wrongSize };
}
