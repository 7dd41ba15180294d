/**
 * A customer's message claimed in the write that queued it comes with their session, read in
 * that write: the to-flex handler posts to it without reading it again. Once that session
 * turns out ended in Flex, the handler reads afresh and opens a new one.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import type { ChannelRuntime } from '../../src/config/channels.js';
import type { FlexGateway } from '../../src/flex/flex-gateway.js';
import type { InboundPayload } from '../../src/inbound/inbound-payload.js';
import { createToFlexHandler } from '../../src/inbound/to-flex-handler.js';
import { createMetrics } from '../../src/observability/metrics.js';
import type { HandlingContext } from '../../src/outbox/outbox-worker.js';
import { OUTBOX_PAYLOAD_VERSION } from '../../src/outbox/payload-reader.js';
import { createSessionOpener } from '../../src/sessions/session-opener.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { OutboxItem, Session } from '../../src/store/store.js';
import { countingCalls } from '../store/counting-store.js';

const sqlite = openSqliteStore({ path: ':memory:' });
after(() => sqlite.close());
const { store, calls: lookups, reset: resetLookups } = countingCalls(sqlite, 'findActiveSession');

const channel = { channelType: 'chatapp', displayName: 'Chat', adapter: 'webhook', maxMessageLength: 1000 } as ChannelRuntime;
const ended = new Set<string>();
const postedTo: string[] = [];
const opened: string[] = [];
const gateway = {
  postCustomerMessage: async (session: Session) => {
    if (ended.has(session.id)) throw Object.assign(new Error('the conversation is closed'), { status: 400, code: 50446 });
    postedTo.push(session.id);
  },
  wasPosted: async () => false,
  isSessionOpen: async (session: Session) => !ended.has(session.id),
  openSession: async (session: Session, _channel: ChannelRuntime, record: (resources: Session['resources']) => Promise<void>) => {
    opened.push(session.id);
    await record({ conversationSid: `CH${session.id.slice(-32).padStart(32, '0')}` });
  },
} as unknown as FlexGateway;
const logger = pino({ level: 'silent' });
const metrics = createMetrics(store);

const handle = createToFlexHandler({
  channels: new Map([['chatapp', channel]]),
  gateway,
  openSession: createSessionOpener({ store, gateway, identityFor: (_channel, id) => `chatapp_${id}`, logger, hashForLog: (value) => value, metrics }),
  endSession: async (session) => {
    await store.closeSession(session.id, Date.now());
  },
  metrics,
});

const context: HandlingContext = { releaseSlot: () => undefined, stopping: new AbortController().signal };
const session: Session = {
  id: 'session-first',
  channelType: 'chatapp',
  customerId: 'c1',
  customerName: 'Ann',
  identity: 'chatapp_c1',
  state: 'open',
  resources: { conversationSid: `CH${'1'.repeat(32)}` },
  createdAt: 1,
};
let ids = 0;
const message = (activeSession: Session | null | undefined): OutboxItem<InboundPayload> => ({
  id: ++ids,
  queue: 'to-flex',
  orderingKey: 'k',
  attempts: 1,
  createdAt: Date.now(),
  activeSession,
  payload: { version: OUTBOX_PAYLOAD_VERSION, channelType: 'chatapp', customer: { id: 'c1', name: 'Ann' }, message: { externalId: `m${ids}`, text: 'hi' } },
});

test('the session read along with the claim is posted to without another read', async () => {
  assert.ok(await sqlite.insertSession({ ...session, state: 'creating' }));
  await sqlite.markSessionOpen(session.id);
  assert.deepEqual(await handle(message(session), context), { kind: 'done' });
  assert.deepEqual([postedTo, lookups()], [[session.id], 0]);

  assert.deepEqual(await handle(message(undefined), context), { kind: 'done' }, 'a claim that read nothing along');
  assert.deepEqual([postedTo.length, lookups()], [2, 1], 'the session is read');
});

test('a session read along but ended in Flex meanwhile: ended here, then read afresh and a new one opened', async () => {
  ended.add(session.id);
  resetLookups();
  assert.deepEqual(await handle(message(session), context), { kind: 'done' });
  assert.equal(lookups(), 1, 'read once: after ending the one read along');
  assert.equal(opened.length, 1);
  assert.deepEqual(postedTo.at(-1), opened[0], 'posted to the new session');
  assert.equal((await sqlite.findActiveSession('chatapp', 'c1'))?.id, opened[0]);
});
