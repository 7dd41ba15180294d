/**
 * An agent's next message to a conversation is queued without reading its session again: the
 * handler remembers the session's route, and the write that queues checks the session is still
 * stored. An erased customer's route is refused there and forgotten; routes age out.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { DeliveryRoutes } from '../../src/outbound/delivery-routes.js';
import { createFlexEventHandler } from '../../src/outbound/flex-event-handler.js';
import type { FlexEvent } from '../../src/outbound/twilio-events.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Session } from '../../src/store/store.js';
import { countingCalls } from '../store/counting-store.js';

const sqlite = openSqliteStore({ path: ':memory:' });
after(() => sqlite.close());
const { store, calls: lookups } = countingCalls(sqlite, 'findSessionByConversationSid');

const sessionWith = (n: number): Session => ({
  id: `session-${n}`,
  channelType: 'chatapp',
  customerId: `customer-${n}`,
  customerName: 'Ann',
  identity: `chatapp_${String(n).repeat(32)}`,
  state: 'open',
  resources: { conversationSid: `CH${String(n).repeat(32)}` },
  createdAt: 1,
});
let messages = 0;
const agentMessage = (session: Session, messageSid = `IM${String(++messages).padStart(32, '0')}`): FlexEvent => ({
  kind: 'message',
  conversationSid: session.resources.conversationSid!,
  messageSid,
  author: 'agent@example.com',
  text: 'hello',
  source: 'SDK',
});
const routes = new DeliveryRoutes();
const handle = createFlexEventHandler({
  store,
  endSession: async () => undefined,
  logger: pino({ level: 'silent' }),
  queueEntry: (entry, dedupeKeys, options) => store.enqueue(entry, dedupeKeys, options),
  routes,
});
const pending = async () => (await sqlite.countOutbox()).find((count) => count.queue === 'to-channel')?.pending ?? 0;

test("an agent's messages to one conversation: its session read for the first only, each queued", async () => {
  const session = sessionWith(1);
  assert.ok(await sqlite.insertSession(session));
  const first = agentMessage(session);
  assert.equal(await handle(first, undefined), 'queued');
  assert.equal(await handle(agentMessage(session), undefined), 'queued');
  assert.deepEqual([lookups(), await pending()], [1, 2]);

  assert.equal(await handle(first, undefined), 'duplicate', 'Twilio retrying the first');
  assert.equal(await pending(), 2);
});

test('a remembered conversation whose customer was erased since: refused where it is queued, nothing delivered, the route forgotten', async () => {
  const session = sessionWith(2);
  assert.ok(await sqlite.insertSession(session));
  assert.equal(await handle(agentMessage(session), undefined), 'queued');
  await sqlite.eraseCustomer(session.channelType, session.customerId);
  const afterErasure = await pending();

  assert.equal(await handle(agentMessage(session), undefined), 'ignored');
  assert.equal(await pending(), afterErasure, 'nothing queued for the erased customer');
  assert.equal(routes.find(session.resources.conversationSid!), undefined);
});

test('the conversation ending forgets its route', async () => {
  const session = sessionWith(3);
  assert.ok(await sqlite.insertSession(session));
  assert.equal(await handle(agentMessage(session), undefined), 'queued');
  assert.notEqual(routes.find(session.resources.conversationSid!), undefined);
  assert.equal(await handle({ kind: 'ended', conversationSid: session.resources.conversationSid! }, undefined), 'ended');
  assert.equal(routes.find(session.resources.conversationSid!), undefined);
});

test('routes keep what delivering needs, age out, and are bounded in number', () => {
  let clock = 0;
  const aging = new DeliveryRoutes({ limit: 2, maxAgeMs: 1000, now: () => clock });
  aging.remember('CH1', sessionWith(1));
  assert.deepEqual(aging.find('CH1'), { id: 'session-1', channelType: 'chatapp', customerId: 'customer-1', identity: sessionWith(1).identity });
  clock = 600;
  aging.remember('CH2', sessionWith(2));
  clock = 1000;
  assert.deepEqual([aging.find('CH1'), aging.size], [undefined, 1], 'read 1000 ms ago: gone, not just hidden');
  assert.equal(aging.find('CH2')?.id, 'session-2');
  aging.remember('CH3', sessionWith(3));
  aging.remember('CH4', sessionWith(4));
  assert.deepEqual([aging.find('CH2'), aging.size], [undefined, 2], 'the oldest makes room');
  clock = 1500;
  aging.remember('CH3', sessionWith(3));
  clock = 2000;
  assert.equal(aging.find('CH4'), undefined);
  assert.equal(aging.find('CH3')?.id, 'session-3', 'read again at 1500: kept until 2500');
});
