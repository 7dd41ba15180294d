/**
 * The Instagram fault scenario: customers write through Meta's webhooks (each delivery sent
 * twice, as Meta redelivers) while Twilio answers 10% of writes with 429 and 2% with 500 and
 * the middleware is killed with SIGKILL mid-run; then agents reply while Meta's Send API
 * answers 10% of sends with its rate limit (code 613) and 2% with 500. Judged only from what
 * arrived: the conversations' messages in the Twilio stand-in, the sends the Instagram
 * stand-in took.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { customerId, readCustomerMessages, result, startRig, tallyMessages, twilioFaultCounts, waitForDrain, type ScenarioResult } from './fault-scenarios.js';
import { startInstagramStandIn, type InstagramStandIn, type InstagramTestUser } from './messengers/instagram-standin.js';
import { eventually } from './poll.js';

export interface InstagramFaultsOptions {
  customers: number;
  messagesPerCustomer: number;
  repliesPerCustomer: number;
  kills?: number;
  seed?: number;
  deadlineMs?: number;
  log?: (line: string) => void;
}

const CHANNEL_TYPE = 'instagram';
const APP_SECRET = 'fault0report0instagram0app0secret';
const ACCESS_TOKEN = 'fault-report-instagram-page-token';
const ICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><circle cx="12" cy="12" r="10" fill="currentColor"/></svg>';

export async function instagramFaultsScenario(options: InstagramFaultsOptions): Promise<ScenarioResult> {
  const kills = options.kills ?? 1;
  const seed = options.seed ?? 23;
  const started = Date.now();
  const deadline = started + (options.deadlineMs ?? 600_000);
  const log = options.log ?? (() => undefined);
  const instagram = await startInstagramStandIn({ appSecret: APP_SECRET, accessToken: ACCESS_TOKEN });
  const rig = await startRig({
    seed,
    faults: { http: [{ match: { method: 'POST' }, rate429: 0.1, rate500: 0.02, retryAfterSeconds: 1 }] },
    env: {
      CHANNELS_FILE: instagramChannelsFile(),
      CHANNEL_INSTAGRAM_SECRET: APP_SECRET,
      CHANNEL_INSTAGRAM_ACCESS_TOKEN: ACCESS_TOKEN,
      CHANNEL_INSTAGRAM_API_BASE_URL: instagram.url,
    },
  }).catch(async (error: unknown) => {
    await instagram.close();
    throw error;
  });
  try {
    const users = Array.from({ length: options.customers }, (_, index) => instagram.newUser(customerId(index)));
    const total = options.customers * options.messagesPerCustomer;
    let acknowledged = 0;
    let redeliveries = 0;
    const killAt = Array.from({ length: kills }, (_, k) => Math.floor((total * (k + 1)) / (kills + 1)));
    let killsDone = 0;
    const webhookUrl = () => `${rig.middleware.url}/channels/instagram/${CHANNEL_TYPE}`;
    await Promise.all(
      users.map(async (user, index) => {
        for (let n = 1; n <= options.messagesPerCustomer; n += 1) {
          const delivery = instagram.callback(instagram.textEvent(user, `${customerId(index)} #${n}`));
          await deliverUntilAnswered(instagram, delivery, webhookUrl, deadline);
          // Meta redelivers what it is not sure arrived: the same body again.
          await deliverUntilAnswered(instagram, delivery, webhookUrl, deadline);
          redeliveries += 1;
          acknowledged += 1;
          if (killsDone < kills && acknowledged >= killAt[killsDone]!) {
            killsDone += 1;
            log(`  kill -9 after ${acknowledged} messages acknowledged`);
            await rig.middleware.crashAndRestart();
          }
        }
      }),
    );
    const lastSent = Date.now();
    log(`  ${total} messages acknowledged, each delivered twice; ${killsDone} kill -9`);
    await waitForDrain(rig, 'to-flex', deadline);
    const inboundTally = tallyMessages(
      new Map(users.map((_, index) => [customerId(index), options.messagesPerCustomer])),
      await readCustomerMessages(rig.admin),
    );
    const inboundDrainMs = Date.now() - lastSent;

    instagram.faultSends({ rate613: 0.1, rate500: 0.02, seed });
    const tasks = await eventually(
      async () => {
        const pending = (await rig.control.tasks()).filter((task) => task.status === 'pending' && task.attributes.channelType === CHANNEL_TYPE);
        return pending.length >= users.length && pending;
      },
      'a task per customer',
      Math.max(0, deadline - Date.now()),
      100,
    );
    for (const task of tasks) await rig.control.accept(task.sid, 'agent-1');
    await Promise.all(
      tasks.map(async (task) => {
        for (let n = 1; n <= options.repliesPerCustomer; n += 1) await rig.control.reply(task.sid, `reply #${n}`);
      }),
    );
    const repliesSent = Date.now();
    await waitForReplies(instagram, users, options.repliesPerCustomer, deadline);
    await waitForDrain(rig, 'to-channel', deadline);
    const outboundTally = tallyMessages(new Map(users.map((user) => [user.id, options.repliesPerCustomer])), repliesByCustomer(instagram));
    const drainMs = Math.max(inboundDrainMs, Date.now() - repliesSent);

    const faults = {
      ...(await twilioFaultCounts(rig.sandbox)),
      'instagram 613': instagram.faultCounts.rateLimited,
      'instagram 500': instagram.faultCounts.serverErrors,
      'kill -9': killsDone,
    };
    const tally = {
      lost: inboundTally.lost + outboundTally.lost,
      duplicated: inboundTally.duplicated + outboundTally.duplicated,
      outOfOrder: inboundTally.outOfOrder + outboundTally.outOfOrder,
      problems: [...inboundTally.problems, ...outboundTally.problems],
    };
    const sent = total + users.length * options.repliesPerCustomer;
    return result('instagram: Twilio + Meta faults, redeliveries, kill -9', sent, faults, tally, drainMs, started, { redeliveries });
  } finally {
    await rig.close();
    await instagram.close();
  }
}

/** Posts a signed delivery until the middleware answers it (a kill -9 leaves no one listening for a while), as Meta retries. */
async function deliverUntilAnswered(instagram: InstagramStandIn, delivery: unknown, url: () => string, deadline: number): Promise<void> {
  for (;;) {
    try {
      const answer = await instagram.deliver(delivery, { url: url() });
      if (answer.status === 200) return;
      if (answer.status < 500) throw new Error(`the middleware refused a delivery: ${answer.status}`);
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('the middleware refused')) throw error;
    }
    if (Date.now() > deadline) throw new Error('could not hand a delivery to the middleware before the deadline');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The agents' replies each customer received, by number, in the order Instagram took them. */
function repliesByCustomer(instagram: InstagramStandIn): Map<string, number[]> {
  const byCustomer = new Map<string, number[]>();
  for (const message of instagram.sent) {
    const match = /^reply #(\d+)$/.exec(message.text ?? '');
    if (match) byCustomer.set(message.to, [...(byCustomer.get(message.to) ?? []), Number(match[1])]);
  }
  return byCustomer;
}

async function waitForReplies(instagram: InstagramStandIn, users: InstagramTestUser[], replies: number, deadline: number): Promise<void> {
  await eventually(
    () => {
      const received = repliesByCustomer(instagram);
      return users.every((user) => new Set(received.get(user.id)).size >= replies);
    },
    'every reply at Instagram',
    Math.max(0, deadline - Date.now()),
    100,
  ).catch(() => undefined);
}

function instagramChannelsFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'cc-instagram-faults-')), 'channels.json');
  const channel = (channelType: string, adapter: string) => ({ channelType, displayName: channelType, color: '#C13584', icon: ICON, adapter });
  writeFileSync(file, JSON.stringify({ channels: [channel('chatapp', 'webhook'), channel(CHANNEL_TYPE, 'instagram')] }));
  return file;
}
