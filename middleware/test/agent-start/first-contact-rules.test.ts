/**
 * The platforms' rules for writing first, through the routes: Instagram's messaging window
 * and Viber's subscriptions (kept from its callbacks) make the customer search say who cannot
 * be reached now and why, and POST /agent/outbound refuse them with a 4xx rather than queue a
 * message that would fail at delivery.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import Fastify from 'fastify';
import { pino } from 'pino';
import { agentStartRoutes } from '../../src/agent-start/agent-start-routes.js';
import { customerSearchRoutes } from '../../src/agent-start/customer-search-routes.js';
import type { AgentAuth } from '../../src/agent-auth/index.js';
import type { ChannelRuntime } from '../../src/config/channels.js';
import type { InboundService } from '../../src/inbound/inbound-service.js';
import { messengerRoutes } from '../../src/messengers/messenger-routes.js';
import { createSubscriptionRecorder } from '../../src/messengers/subscriptions.js';
import { createSentTokens } from '../../src/messengers/viber/sent-tokens.js';
import { createViberWebhook } from '../../src/messengers/viber/viber-webhook.js';
import { createLogHasher } from '../../src/observability/log-hash.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { createInboundTimeRecorder } from '../../src/sessions/inbound-times.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Session } from '../../src/store/store.js';

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 0, 10, 12);
const VIBER_TOKEN = 'viber-auth-token-for-the-rule-test';
const silent = pino({ level: 'silent' });

const channel = (channelType: string, adapter: string, options?: Record<string, string>): ChannelRuntime =>
  ({
    channelType,
    displayName: channelType,
    adapter,
    maxMessageLength: 1000,
    outbound: true,
    accessToken: VIBER_TOKEN,
    ...(options ? { options } : {}),
  }) as ChannelRuntime;
const channels = new Map([
  ['insta', channel('insta', 'instagram')],
  ['insta-agents', channel('insta-agents', 'instagram', { HUMAN_AGENT_TAG: 'true' })],
  ['viber-bot', channel('viber-bot', 'viber')],
]);

const store = openSqliteStore({ path: ':memory:', now: () => NOW });
const metrics = createMetrics(store);
const auth: AgentAuth = {
  validator: {
    validate: async () => ({ ok: true, agent: { workerSid: `WK${'1'.repeat(32)}`, identity: 'alice', roles: ['agent'], expiresAt: new Date(NOW + HOUR) } }),
  },
  allowedOrigins: [],
  logger: silent,
};
const app = Fastify();
void app.register(agentStartRoutes, {
  prefix: '/agent/outbound',
  auth,
  channels,
  routing: { kind: 'interactions', workspaceSid: `WS${'1'.repeat(32)}`, workflowSid: `WW${'1'.repeat(32)}` } as never,
  store,
  queueEntry: (entry, dedupeKeys) => store.enqueue(entry, dedupeKeys),
  metrics,
  logger: silent,
  hashForLog: createLogHasher('a-log-hash-key-for-the-rule-test'),
  now: () => NOW,
  gateway: { wasPosted: async () => false },
});
void app.register(customerSearchRoutes, { prefix: '/agent/customers', auth, channels, store, now: () => NOW });
void app.register(messengerRoutes, {
  channels: new Map([['viber-bot', channels.get('viber-bot')!]]),
  webhooks: [createViberWebhook(createSentTokens())],
  inbound: {} as InboundService,
  metrics,
  bodyLimitBytes: 100_000,
  recordSubscription: createSubscriptionRecorder(store),
});
after(async () => {
  await app.close();
  await store.close();
});

let sessions = 0;
/** A session the customer's message opened `openedAgo` before now, closed since. */
async function customerWrote(channelType: string, customerId: string, openedAgo: number): Promise<Session> {
  const session: Session = {
    id: `session-${++sessions}`,
    channelType,
    customerId,
    customerName: `Customer ${customerId}`,
    identity: `identity-${sessions}`,
    state: 'creating',
    resources: {},
    createdAt: NOW - openedAgo,
  };
  assert.ok(await store.insertSession(session));
  await store.markSessionOpen(session.id);
  await store.closeSession(session.id, NOW - openedAgo + HOUR);
  return session;
}

const headers = { authorization: 'Bearer a-flex-token', 'content-type': 'application/json' };
let requests = 0;
async function startConversation(channelType: string, customerId: string) {
  const response = await app.inject({
    method: 'POST',
    url: '/agent/outbound',
    headers,
    payload: { channelType, customerId, text: 'Following up on your case', requestId: `request-${++requests}-abcdef` },
  });
  return { status: response.statusCode, body: response.json<Record<string, unknown> & { error?: { code: string; message: string; field?: string } }>() };
}
async function searchFor(channelType: string, customerId: string) {
  const response = await app.inject({ method: 'GET', url: `/agent/customers?channelType=${channelType}&q=${encodeURIComponent(customerId)}`, headers });
  assert.equal(response.statusCode, 200);
  return response.json<{ customers: Array<Record<string, unknown>> }>().customers[0]!;
}

test('Instagram: within 24 hours of their last message the agent may write; after, the search says why not and the request is refused', async () => {
  const recent = await customerWrote('insta', 'ig-recent', 22 * HOUR);
  // Their last message came later in that session, as the to-flex handler records it.
  await createInboundTimeRecorder(store)(recent, NOW - 20.5 * HOUR);
  const accepted = await startConversation('insta', 'ig-recent');
  assert.equal(accepted.status, 202);
  assert.equal(accepted.body.notice, "within Instagram's 24-hour window: 3 hours left");

  await customerWrote('insta', 'ig-old', 50 * HOUR);
  const found = await searchFor('insta', 'ig-old');
  assert.equal(found.reachable, false);
  assert.equal(found.reason, 'outside_messaging_window');
  assert.equal(found.message, "cannot be reached now: last message 2 days ago, outside Instagram's 24-hour window");
  assert.equal(found.lastMessageAt, new Date(NOW - 50 * HOUR).toISOString());

  const refused = await startConversation('insta', 'ig-old');
  assert.equal(refused.status, 422);
  assert.deepEqual(refused.body.error, {
    code: 'outside_messaging_window',
    message: "cannot be reached now: last message 2 days ago, outside Instagram's 24-hour window",
    field: '/customerId',
  });
  assert.equal((await store.countOutbox()).find((counts) => counts.queue === 'to-flex')?.pending ?? 0, 1, 'only the accepted request is queued');
});

test('Instagram with the HUMAN_AGENT tag: the same customer is reachable for 7 days', async () => {
  await customerWrote('insta-agents', 'ig-old', 50 * HOUR);
  const found = await searchFor('insta-agents', 'ig-old');
  assert.equal(found.reachable, true);
  assert.equal(found.notice, "within Instagram's 7-day human agent window: 4 days left");
  assert.equal((await startConversation('insta-agents', 'ig-old')).status, 202);
});

function viberCallback(body: Record<string, unknown>) {
  const raw = JSON.stringify(body);
  return app.inject({
    method: 'POST',
    url: '/channels/viber/viber-bot',
    headers: { 'content-type': 'application/json', 'x-viber-content-signature': createHmac('sha256', VIBER_TOKEN).update(raw).digest('hex') },
    payload: raw,
  });
}

test('Viber: an unsubscribe is kept from the callback; the search shows the user unreachable and the request is refused, until they subscribe again', async () => {
  await customerWrote('viber-bot', 'vb-user=', 10 * HOUR);
  assert.equal((await startConversation('viber-bot', 'vb-user=')).status, 202);

  const unsubscribed = await viberCallback({ event: 'unsubscribed', timestamp: NOW - 3 * HOUR, user_id: 'vb-user=', message_token: 7 });
  assert.equal(unsubscribed.statusCode, 200);
  const found = await searchFor('viber-bot', 'vb-user=');
  assert.equal(found.reachable, false);
  assert.equal(found.reason, 'not_subscribed');
  assert.match(String(found.message), /unsubscribed from the bot 3 hours ago, and Viber lets a bot write only to its subscribers/);
  const refused = await startConversation('viber-bot', 'vb-user=');
  assert.equal(refused.status, 422);
  assert.equal(refused.body.error?.code, 'not_subscribed');

  // An older report arriving late changes nothing.
  await viberCallback({ event: 'subscribed', timestamp: NOW - 4 * HOUR, user: { id: 'vb-user=', name: 'V' }, message_token: 8 });
  assert.equal((await searchFor('viber-bot', 'vb-user=')).reachable, false);

  const resubscribed = await viberCallback({ event: 'subscribed', timestamp: NOW - HOUR, user: { id: 'vb-user=', name: 'V' }, message_token: 9 });
  assert.equal(resubscribed.statusCode, 200);
  assert.equal((await searchFor('viber-bot', 'vb-user=')).reachable, true);
  assert.equal((await startConversation('viber-bot', 'vb-user=')).status, 202);
});

test('Viber: conversation_started reports whether the user is subscribed', async () => {
  await customerWrote('viber-bot', 'vb-opened=', 10 * HOUR);
  const answer = await viberCallback({
    event: 'conversation_started',
    timestamp: NOW - HOUR,
    type: 'open',
    user: { id: 'vb-opened=', name: 'O' },
    subscribed: false,
    message_token: 10,
  });
  assert.equal(answer.statusCode, 200);
  assert.deepEqual(answer.json(), { results: [{ status: 'noted' }] });
  assert.equal((await searchFor('viber-bot', 'vb-opened=')).reason, 'not_subscribed');
});
