/**
 * An opening that fails for good after the 202 reaches the agent: GET /agent/outbound/:requestId
 * says pending while the request is on its way, failed (with why) once its to-flex entry is a
 * dead letter, started once the agent's message is in the customer's conversation; only to the
 * agent who made the request.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { pino } from 'pino';
import { createAgentStartHandler } from '../../src/agent-start/agent-start-handler.js';
import { agentStartRoutes } from '../../src/agent-start/agent-start-routes.js';
import type { AgentAuth } from '../../src/agent-auth/index.js';
import type { ChannelRuntime } from '../../src/config/channels.js';
import type { InboundPayload } from '../../src/inbound/inbound-payload.js';
import { createLogHasher } from '../../src/observability/log-hash.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { OutboxItem, Session } from '../../src/store/store.js';

const silent = pino({ level: 'silent' });
const ALICE = `WK${'a'.repeat(32)}`;
const BOB = `WK${'b'.repeat(32)}`;
const channel = { channelType: 'telegram', displayName: 'Telegram', adapter: 'telegram', maxMessageLength: 4096, outbound: true } as ChannelRuntime;
const channels = new Map([['telegram', channel]]);
const store = openSqliteStore({ path: ':memory:' });
const metrics = createMetrics(store);
const posted = new Set<string>();

// The bearer token names the worker, as the IAM answer would.
const auth: AgentAuth = {
  validator: {
    validate: async (token) => ({ ok: true, agent: { workerSid: token, identity: token, roles: ['agent'], expiresAt: new Date(Date.now() + 3_600_000) } }),
  },
  allowedOrigins: [],
  logger: silent,
};
const app = Fastify();
void app.register(agentStartRoutes, {
  prefix: '/agent/outbound',
  auth,
  channels,
  routing: { kind: 'interactions' } as never,
  store,
  queueEntry: (entry, dedupeKeys) => store.enqueue(entry, dedupeKeys),
  metrics,
  logger: silent,
  hashForLog: createLogHasher('a-log-hash-key-for-the-status-test'),
  gateway: { wasPosted: async (_session, externalId) => posted.has(externalId) },
});
after(async () => {
  await app.close();
  await store.close();
});

const statusOf = async (requestId: string, worker: string, customerId: string) => {
  const response = await app.inject({
    method: 'GET',
    url: `/agent/outbound/${requestId}?channelType=telegram&customerId=${customerId}`,
    headers: { authorization: `Bearer ${worker}` },
  });
  return { code: response.statusCode, body: response.json<Record<string, unknown>>() };
};

async function customerWrote(customerId: string): Promise<Session> {
  const session: Session = {
    id: `s-${customerId}`,
    channelType: 'telegram',
    customerId,
    customerName: 'Ann',
    identity: `i-${customerId}`,
    state: 'creating',
    resources: {},
    createdAt: Date.now() - 60_000,
  };
  await store.insertSession(session);
  await store.markSessionOpen(session.id);
  return (await store.findActiveSession('telegram', customerId))!;
}

async function accepted(requestId: string, customerId: string) {
  const response = await app.inject({
    method: 'POST',
    url: '/agent/outbound',
    headers: { authorization: `Bearer ${ALICE}`, 'content-type': 'application/json' },
    payload: { channelType: 'telegram', customerId, text: 'About your order', requestId },
  });
  assert.equal(response.statusCode, 202);
}

test('failed for good after the 202: the agent who asked is told why; another agent learns nothing', async () => {
  const session = await customerWrote('1001');
  await store.closeSession(session.id, Date.now());
  await accepted('req-fails-0001', '1001');
  assert.deepEqual((await statusOf('req-fails-0001', ALICE, '1001')).body, { requestId: 'req-fails-0001', status: 'pending' });

  // The worker's attempt: Twilio refuses the interaction for good, and the entry is parked.
  const handle = createAgentStartHandler({
    channels,
    store,
    metrics,
    gateway: {} as never,
    openSession: async () => {
      throw Object.assign(new Error('Worker is not available for outbound'), { status: 400, code: 20001 });
    },
  });
  const [item] = (await store.claimDue('to-flex', Date.now(), 10, 30_000)) as Array<OutboxItem<InboundPayload>>;
  const outcome = await handle(item!, { releaseSlot: () => undefined, stopping: new AbortController().signal });
  assert.equal(outcome.kind, 'permanent');
  await store.markFailed(item!.id, outcome.kind === 'permanent' ? outcome.reason : '');

  const failed = await statusOf('req-fails-0001', ALICE, '1001');
  assert.equal(failed.code, 200);
  assert.deepEqual(failed.body, {
    requestId: 'req-fails-0001',
    status: 'failed',
    reason: 'Twilio answered 400 (error 20001): Worker is not available for outbound',
    message: 'the conversation could not be opened (Twilio answered 400 (error 20001): Worker is not available for outbound)',
  });
  assert.equal((await statusOf('req-fails-0001', BOB, '1001')).body.status, 'pending', "another agent's view of it");
});

test("started once the agent's message is in the customer's conversation", async () => {
  await customerWrote('1002');
  await accepted('req-starts-0002', '1002');
  assert.equal((await statusOf('req-starts-0002', ALICE, '1002')).body.status, 'pending');
  posted.add('outbound:req-starts-0002');
  assert.deepEqual((await statusOf('req-starts-0002', ALICE, '1002')).body, { requestId: 'req-starts-0002', status: 'started' });
});

test('a malformed request id or a missing customer is a 400 naming the field; no token is a 401', async () => {
  const badId = await statusOf('bad id!', ALICE, '1002');
  assert.equal(badId.code, 400);
  assert.equal((badId.body.error as { field: string }).field, '/requestId');
  const noCustomer = await app.inject({
    method: 'GET',
    url: '/agent/outbound/req-starts-0002?channelType=telegram',
    headers: { authorization: `Bearer ${ALICE}` },
  });
  assert.equal(noCustomer.statusCode, 400);
  assert.equal(noCustomer.json<{ error: { field: string } }>().error.field, '/customerId');
  assert.equal((await app.inject({ method: 'GET', url: '/agent/outbound/req-starts-0002?channelType=telegram&customerId=1' })).statusCode, 401);
});
