/** Each platform's rule for writing first, as the agent is told it, from what the kit knows of the customer. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChannelRuntime } from '../../src/config/channels.js';
import { reachabilityOf, reachabilityOfKnown } from '../../src/agent-start/reachability.js';
import { MESSENGER_PLATFORMS } from '../../src/messengers/registry.js';
import type { Session, SessionResources } from '../../src/store/store.js';

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 0, 10, 12);

const channel = (adapter: string, options?: Record<string, string>): ChannelRuntime =>
  ({ channelType: adapter, displayName: adapter.toUpperCase(), adapter, maxMessageLength: 4096, ...(options ? { options } : {}) }) as ChannelRuntime;
const sessionOf = (createdAt: number, resources: SessionResources = {}, customerName = 'Dana') =>
  ({ id: `s-${createdAt}`, customerName, createdAt, resources }) as Session;
const session = sessionOf(NOW - HOUR);
const storeWith = (sessions: Session[]) => ({ listCustomerSessions: async () => sessions });

test('a messenger customer the kit never talked to is refused, saying the platform rule', async () => {
  const expected: Record<string, RegExp> = {
    telegram: /never written to the bot: Telegram lets a bot write only to chats that started it/,
    line: /LINE push messages reach only users who added \(follow\) it/,
    webchat: /no web chat visitor with this id/,
    instagram: /Instagram lets a business write only to people who messaged it/,
    viber: /Viber lets a bot write only to its subscribers/,
  };
  for (const [adapter, message] of Object.entries(expected)) {
    const verdict = await reachabilityOf(channel(adapter), 'someone', storeWith([]), NOW);
    assert.equal(verdict.reachable, false, adapter);
    assert.ok(!verdict.reachable && verdict.reason === 'customer_not_reachable' && message.test(verdict.message), adapter);
  }
});

test('a known customer is reachable under their name; LINE says it uses the monthly quota, web chat when it is shown', async () => {
  assert.deepEqual(await reachabilityOf(channel('telegram'), 'chat-1', storeWith([session]), NOW), { reachable: true, customerName: 'Dana' });
  const line = await reachabilityOf(channel('line'), 'U1', storeWith([session]), NOW);
  assert.ok(line.reachable && /monthly message quota/.test(line.notice ?? ''));
  const webchat = await reachabilityOf(channel('webchat'), 'v1', storeWith([session]), NOW);
  assert.ok(webchat.reachable && /next visit/.test(webchat.notice ?? ''));
});

test('a webhook channel is always asked: its delivery answers for its own customers', async () => {
  const verdict = await reachabilityOf(channel('webhook'), 'new-customer', storeWith([]), NOW);
  assert.ok(verdict.reachable);
  assert.equal(verdict.customerName, 'WEBHOOK customer');
});

test('every messenger platform states its own rule, in its own folder', async () => {
  for (const platform of MESSENGER_PLATFORMS) {
    assert.equal(typeof platform.reachability, 'function', platform.name);
    const unknown = await reachabilityOf(channel(platform.adapter), 'someone', storeWith([]), NOW);
    assert.deepEqual(unknown, platform.reachability!(undefined, { channel: channel(platform.adapter), now: NOW }), platform.name);
    assert.ok(!unknown.reachable && unknown.reason === 'customer_not_reachable', platform.name);
    const known = await reachabilityOf(channel(platform.adapter), 'someone', storeWith([session]), NOW);
    assert.ok(known.reachable && known.customerName === 'Dana', platform.name);
  }
});

test("Instagram: reachable for 24 hours after the customer's last message, then refused saying how long ago", async () => {
  const wroteAgo = (ms: number) => storeWith([sessionOf(NOW - 10 * 24 * HOUR), sessionOf(NOW - 5 * 24 * HOUR, { lastInboundAt: NOW - ms })]);
  const inside = await reachabilityOf(channel('instagram'), 'ig-1', wroteAgo(23 * HOUR), NOW);
  assert.ok(inside.reachable && inside.notice === "within Instagram's 24-hour window: 1 hour left");
  const outside = await reachabilityOf(channel('instagram'), 'ig-1', wroteAgo(26 * HOUR), NOW);
  assert.deepEqual(outside, {
    reachable: false,
    reason: 'outside_messaging_window',
    message: "cannot be reached now: last message 26 hours ago, outside Instagram's 24-hour window",
  });
});

test('Instagram with the HUMAN_AGENT tag: 7 days', async () => {
  const humanAgent = channel('instagram', { HUMAN_AGENT_TAG: 'true' });
  const threeDays = storeWith([sessionOf(NOW - 4 * 24 * HOUR, { lastInboundAt: NOW - 3 * 24 * HOUR })]);
  const inside = await reachabilityOf(humanAgent, 'ig-1', threeDays, NOW);
  assert.ok(inside.reachable && /7-day human agent window: 4 days left/.test(inside.notice ?? ''));
  const eightDays = storeWith([sessionOf(NOW - 9 * 24 * HOUR, { lastInboundAt: NOW - 8 * 24 * HOUR })]);
  const outside = await reachabilityOf(humanAgent, 'ig-1', eightDays, NOW);
  assert.ok(!outside.reachable && outside.message === "cannot be reached now: last message 8 days ago, outside Instagram's 7-day human agent window");
});

test("Instagram: a session the customer's message opened counts from its start; one an agent opened does not", async () => {
  const openedByCustomer = await reachabilityOf(channel('instagram'), 'ig-1', storeWith([sessionOf(NOW - 2 * HOUR)]), NOW);
  assert.ok(openedByCustomer.reachable);
  const openedByAgent = await reachabilityOf(channel('instagram'), 'ig-1', storeWith([sessionOf(NOW - 2 * HOUR, { agentStartId: 'req-12345678' })]), NOW);
  assert.ok(!openedByAgent.reachable && openedByAgent.reason === 'outside_messaging_window' && /no message from them is on record/.test(openedByAgent.message));
});

test('Viber: a user who unsubscribed is refused until they subscribe again or write', async () => {
  const unsubscribed = { subscribed: false, at: NOW - 2 * HOUR };
  const refused = await reachabilityOf(channel('viber'), 'vb-1', storeWith([sessionOf(NOW - 5 * HOUR, { subscription: unsubscribed })]), NOW);
  assert.deepEqual(refused, {
    reachable: false,
    reason: 'not_subscribed',
    message: 'cannot be reached now: they unsubscribed from the bot 2 hours ago, and Viber lets a bot write only to its subscribers',
  });
  const resubscribed = storeWith([
    sessionOf(NOW - 5 * HOUR, { subscription: unsubscribed }),
    sessionOf(NOW - 4 * HOUR, { agentStartId: 'req-12345678', subscription: { subscribed: true, at: NOW - HOUR } }),
  ]);
  assert.ok((await reachabilityOf(channel('viber'), 'vb-1', resubscribed, NOW)).reachable);
  const wroteSince = storeWith([sessionOf(NOW - 5 * HOUR, { subscription: unsubscribed, lastInboundAt: NOW - HOUR })]);
  assert.ok((await reachabilityOf(channel('viber'), 'vb-1', wroteSince, NOW)).reachable);
});

test('the search and the outbound request read the same rule from the same record', () => {
  const known = { customerName: 'Dana', lastInboundAt: NOW - 30 * HOUR };
  assert.deepEqual(reachabilityOfKnown(channel('instagram'), known, NOW), {
    reachable: false,
    reason: 'outside_messaging_window',
    message: "cannot be reached now: last message 30 hours ago, outside Instagram's 24-hour window",
  });
});
