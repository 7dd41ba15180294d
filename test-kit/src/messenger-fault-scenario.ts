/**
 * The messenger fault scenario, one run per platform: customers write through the platform's
 * signed webhook, each message delivered twice (a platform redelivers when it misses the
 * answer), while Twilio answers 10% of writes with 429 and 2% with 500 and the middleware is
 * killed with SIGKILL mid-run; then agents reply while the platform answers its rate limit
 * and 5xx. Judged only from what arrived: the conversations' messages in the Twilio stand-in
 * and the sends the platform's stand-in took.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { writeChannelsFile } from './channels-file.js';
import {
  acceptTasks,
  agentsReply,
  customerId,
  readCustomerMessages,
  result,
  startRig,
  tallyMessages,
  twilioFaultCounts,
  waitForDrain,
  type Rig,
  type ScenarioResult,
} from './fault-scenarios.js';
import { startInstagramStandIn, type InstagramTestUser } from './messengers/instagram-standin.js';
import { startViberStandIn } from './messengers/viber-standin.js';
import { eventually } from './poll.js';

/** What the scenario needs of one platform's stand-in. */
export interface MessengerFaultPlatform {
  /** The scenario's name in the report. */
  name: string;
  adapter: string;
  channelType: string;
  /** The channel's entry in channels.json (without the common fields) and its environment. */
  channel: Record<string, unknown>;
  env: Record<string, string>;
  /** A customer's text as the platform sends it, ready to post again unchanged. */
  textEvent(customer: string, text: string): unknown;
  /** Posts an event signed as the platform does; resolves to the HTTP status. */
  deliver(event: unknown, url: string): Promise<number>;
  /** The next `throttled` sends answer the platform's rate limit, the `failing` after them a 5xx. */
  refuseNextSends(throttled: number, failing: number): void;
  /** Every text the platform took from the bot, by customer. */
  sentTexts(): Array<{ customer: string; text: string }>;
  close(): Promise<void>;
}

export interface MessengerFaultsOptions {
  customers: number;
  messagesPerCustomer: number;
  repliesPerCustomer: number;
  kills?: number;
  seed?: number;
  deadlineMs?: number;
  log?: (line: string) => void;
}

const VIBER_TOKEN = 'faults-viber-auth-token-0123456789abcdef';
const INSTAGRAM = { appSecret: 'fault0report0instagram0app0secret', accessToken: 'fault-report-instagram-page-token' };

/** A platform to run the scenario on: its name, and its stand-in, started when the scenario starts. */
export interface MessengerFaultPlatformEntry {
  name: string;
  open(): Promise<MessengerFaultPlatform>;
}

/** The Viber stand-in as the scenario's platform. */
async function viberFaultPlatform(): Promise<MessengerFaultPlatform> {
  const viber = await startViberStandIn({ authToken: VIBER_TOKEN });
  return {
    name: 'viber',
    adapter: 'viber',
    channelType: 'viber-bot',
    channel: { adapter: 'viber' },
    env: { CHANNEL_VIBER_BOT_AUTH_TOKEN: VIBER_TOKEN, CHANNEL_VIBER_BOT_API_BASE_URL: viber.apiBaseUrl },
    textEvent: (customer, text) => viber.textCallback({ id: customer, name: `Customer ${customer}` }, text),
    deliver: async (event, url) => (await viber.deliver(event as string, { url })).status,
    refuseNextSends(throttled, failing) {
      viber.throttle(throttled);
      viber.failWithServerErrors(failing);
    },
    sentTexts: () => viber.sent.filter((message) => message.type === 'text').map((message) => ({ customer: message.receiver, text: message.text })),
    close: viber.close,
  };
}

/** The Instagram stand-in as the scenario's platform: each customer an Instagram-scoped id of its own. */
async function instagramFaultPlatform(): Promise<MessengerFaultPlatform> {
  const instagram = await startInstagramStandIn(INSTAGRAM);
  const users = new Map<string, InstagramTestUser>();
  const customerOf = new Map<string, string>();
  const userOf = (customer: string) => {
    if (!users.has(customer)) {
      const user = instagram.newUser(customer);
      users.set(customer, user);
      customerOf.set(user.id, customer);
    }
    return users.get(customer)!;
  };
  return {
    name: 'instagram',
    adapter: 'instagram',
    channelType: 'instagram',
    channel: { adapter: 'instagram' },
    env: {
      CHANNEL_INSTAGRAM_SECRET: INSTAGRAM.appSecret,
      CHANNEL_INSTAGRAM_ACCESS_TOKEN: INSTAGRAM.accessToken,
      CHANNEL_INSTAGRAM_API_BASE_URL: instagram.url,
    },
    textEvent: (customer, text) => instagram.callback(instagram.textEvent(userOf(customer), text)),
    deliver: async (event, url) => (await instagram.deliver(event, { url })).status,
    // Meta's rate limit is code 613; code 2 is its "service temporarily unavailable".
    refuseNextSends(throttled, failing) {
      instagram.failNext(
        ...Array.from({ length: throttled }, () => ({ status: 400, code: 613 })),
        ...Array.from({ length: failing }, () => ({ status: 503, code: 2 })),
      );
    },
    sentTexts: () =>
      instagram.sent.flatMap((message) => (message.text === undefined ? [] : [{ customer: customerOf.get(message.to) ?? message.to, text: message.text }])),
    close: instagram.close,
  };
}

/** The platforms `npm run faults` runs the scenario on. */
export const MESSENGER_FAULT_PLATFORMS: MessengerFaultPlatformEntry[] = [
  { name: 'viber', open: viberFaultPlatform },
  { name: 'instagram', open: instagramFaultPlatform },
];

export async function messengerFaultsScenario(entry: MessengerFaultPlatformEntry, options: MessengerFaultsOptions): Promise<ScenarioResult> {
  const kills = options.kills ?? 1;
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  const platform = await entry.open();
  let rig: Rig | undefined;
  try {
    rig = await startRig({
      seed: options.seed ?? 19,
      faults: { http: [{ match: { method: 'POST' }, rate429: 0.1, rate500: 0.02, retryAfterSeconds: 1 }] },
      env: { CHANNELS_FILE: channelsFileWith(platform), ...platform.env },
    });
    const deadline = started + (options.deadlineMs ?? 600_000);
    const url = () => `${rig!.middleware.url}/channels/${platform.adapter}/${platform.channelType}`;
    const total = options.customers * options.messagesPerCustomer;
    const killAt = Array.from({ length: kills }, (_, k) => Math.floor((total * (k + 1)) / (kills + 1)));
    let acknowledged = 0;
    let killing: Promise<void> = Promise.resolve();
    let redeliveries = 0;
    let resends = 0;

    /** Posts until answered 200, as the platform retries a webhook it sees fail. */
    const deliverUntilAccepted = async (event: unknown) => {
      for (;;) {
        const status = await platform.deliver(event, url()).catch(() => 0);
        if (status === 200) return;
        if (status >= 400 && status < 500) throw new Error(`the middleware refused a ${platform.name} message: ${status}`);
        if (Date.now() > deadline) throw new Error('could not hand a message to the middleware before the deadline');
        resends += 1;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    await Promise.all(
      Array.from({ length: options.customers }, async (_, index) => {
        const customer = customerId(index);
        for (let n = 1; n <= options.messagesPerCustomer; n += 1) {
          const event = platform.textEvent(customer, `${customer} #${n}`);
          await deliverUntilAccepted(event);
          await deliverUntilAccepted(event);
          redeliveries += 1;
          acknowledged += 1;
          if (killAt.length > 0 && acknowledged >= killAt[0]!) {
            killAt.shift();
            log(`  kill -9 after ${acknowledged} acknowledged ${platform.name} messages`);
            killing = killing.then(() => rig!.middleware.crashAndRestart());
          }
        }
      }),
    );
    await killing;
    const lastSent = Date.now();
    await waitForDrain(rig, 'to-flex', deadline);
    const inbound = tallyMessages(expectedPerKey(options.customers, options.messagesPerCustomer), await readCustomerMessages(rig.admin));

    const tasks = await acceptTasks(rig, options.customers, deadline);
    const replies = options.customers * options.repliesPerCustomer;
    const throttled = Math.ceil(replies / 10);
    const failing = Math.ceil(replies / 20);
    platform.refuseNextSends(throttled, failing);
    await agentsReply(rig, tasks, options.repliesPerCustomer);
    await eventually(
      () =>
        new Set(
          platform
            .sentTexts()
            .filter((sent) => /^reply #/.test(sent.text))
            .map((sent) => `${sent.customer}:${sent.text}`),
        ).size >= replies,
      'every reply at the platform',
      Math.max(0, deadline - Date.now()),
      100,
    ).catch(() => undefined);
    await waitForDrain(rig, 'to-channel', deadline);
    const drainMs = Date.now() - lastSent;
    const outbound = tallyMessages(expectedPerKey(options.customers, options.repliesPerCustomer), repliesByCustomer(platform.sentTexts()));

    const faults = {
      ...(await twilioFaultCounts(rig.sandbox)),
      'kill -9': kills - killAt.length,
      redeliveries,
      [`${platform.name} rate limit`]: throttled,
      [`${platform.name} 503`]: failing,
    };
    const tally = {
      lost: inbound.lost + outbound.lost,
      duplicated: inbound.duplicated + outbound.duplicated,
      outOfOrder: inbound.outOfOrder + outbound.outOfOrder,
      problems: [...inbound.problems, ...outbound.problems],
    };
    return result(`${platform.name} faults + kill -9 x${kills}`, total + replies, faults, tally, drainMs, started, { 'webhook resends': resends });
  } finally {
    await rig?.close();
    await platform.close();
  }
}

/** The rig's channels.json with the platform's channel added. */
function channelsFileWith(platform: MessengerFaultPlatform): string {
  const file = writeChannelsFile();
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { channels: unknown[] };
  const icon = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><circle cx="12" cy="12" r="10"/></svg>';
  parsed.channels.push({ channelType: platform.channelType, displayName: platform.name, color: '#7360F2', icon, ...platform.channel });
  writeFileSync(file, JSON.stringify(parsed));
  return file;
}

function expectedPerKey(customers: number, perCustomer: number): Map<string, number> {
  return new Map(Array.from({ length: customers }, (_, index) => [customerId(index), perCustomer]));
}

/** The agents' replies (`reply #n`) as each customer got them, in order. */
function repliesByCustomer(sent: Array<{ customer: string; text: string }>): Map<string, number[]> {
  const byCustomer = new Map<string, number[]>();
  for (const { customer, text } of sent) {
    const match = /^reply #(\d+)$/.exec(text);
    if (!match) continue;
    byCustomer.set(customer, [...(byCustomer.get(customer) ?? []), Number(match[1])]);
  }
  return byCustomer;
}
