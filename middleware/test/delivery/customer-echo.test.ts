/**
 * Twilio sends every message the middleware posts back as a webhook: the customer's own words,
 * and its notices to the agent. Those are dropped without reading the session; what agents and
 * bots write is queued for the customer, their session looked up once per conversation.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { createFlexEventHandler } from '../../src/outbound/flex-event-handler.js';
import type { FlexEvent } from '../../src/outbound/twilio-events.js';
import { createCustomerIdentityFactory, createCustomerIdentityMatcher } from '../../src/security/customer-identity.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { OutboxEntry, Session } from '../../src/store/store.js';
import { countingCalls } from '../store/counting-store.js';

const sqlite = openSqliteStore({ path: ':memory:' });
after(() => sqlite.close());
const { store, calls: lookups, reset: resetLookups } = countingCalls(sqlite, 'findSessionByConversationSid');

const identityFor = createCustomerIdentityFactory('k'.repeat(32));
const conversationSid = `CH${'1'.repeat(32)}`;
const session: Session = {
  id: 'session-1',
  channelType: 'chatapp',
  customerId: 'c1',
  customerName: 'Ann',
  identity: identityFor('chatapp', 'c1'),
  state: 'creating',
  resources: { conversationSid },
  createdAt: 1,
};
const queued: OutboxEntry[] = [];
/** A handler of its own remembers no conversation yet. */
const newHandler = () =>
  createFlexEventHandler({
    store,
    endSession: async () => undefined,
    logger: pino({ level: 'silent' }),
    queueEntry: async (entry) => {
      queued.push(entry);
      return true;
    },
    isCustomerIdentity: createCustomerIdentityMatcher(['chatapp']),
  });
const handle = newHandler();
let messages = 0;
const message = (author: string, source: string, extra: Partial<Extract<FlexEvent, { kind: 'message' }>> = {}): FlexEvent => ({
  kind: 'message',
  conversationSid,
  messageSid: `IM${String(++messages).padStart(32, '0')}`,
  author,
  text: 'words',
  source,
  ...extra,
});

test("the customer's own message and the middleware's notices come back and are dropped without a lookup", async () => {
  assert.ok(await sqlite.insertSession(session));
  assert.equal(await handle(message(session.identity, 'API'), undefined), 'ignored');
  assert.equal(await handle(message('system', 'API', { systemNotice: true }), undefined), 'ignored');
  assert.deepEqual([lookups(), queued.length], [0, 0]);
});

test('what agents and bots write is queued for the customer, the session looked up once for the conversation', async () => {
  assert.equal(await handle(message('agent@example.com', 'SDK'), undefined), 'queued');
  assert.equal(await handle(message('system', 'API'), undefined), 'queued', 'a bot');
  assert.deepEqual([lookups(), queued.length], [1, 2]);
  assert.deepEqual(
    queued.map((entry) => entry.orderingKey),
    [session.id, session.id],
  );
});

test("an author shaped like a customer's identity but writing from the SDK is looked up, and dropped only for being the customer", async () => {
  resetLookups();
  assert.equal(await newHandler()(message(session.identity, 'SDK'), undefined), 'ignored');
  assert.equal(lookups(), 1);
  assert.equal(queued.length, 2, 'nothing more queued');
});
