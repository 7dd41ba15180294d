/**
 * The time of the customer's last message, which Instagram's messaging window runs from, is kept
 * on their session as the to-flex handler posts their messages: at most one write a minute.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChannelRuntime } from '../../src/config/channels.js';
import type { FlexGateway } from '../../src/flex/flex-gateway.js';
import type { InboundPayload } from '../../src/inbound/inbound-payload.js';
import { createToFlexHandler } from '../../src/inbound/to-flex-handler.js';
import { createMetrics } from '../../src/observability/metrics.js';
import type { HandlingContext } from '../../src/outbox/outbox-worker.js';
import { OUTBOX_PAYLOAD_VERSION } from '../../src/outbox/payload-reader.js';
import { createInboundTimeRecorder } from '../../src/sessions/inbound-times.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { OutboxItem, Session } from '../../src/store/store.js';

const OPENED_AT = Date.UTC(2026, 0, 10, 9);
const store = openSqliteStore({ path: ':memory:' });
after(() => store.close());

const channel = { channelType: 'insta', displayName: 'Instagram', adapter: 'instagram', maxMessageLength: 1000 } as ChannelRuntime;
const session: Session = {
  id: 'session-1',
  channelType: 'insta',
  customerId: 'ig-1',
  customerName: 'Ivy',
  identity: 'identity-1',
  state: 'creating',
  resources: { conversationSid: `CH${'1'.repeat(32)}` },
  createdAt: OPENED_AT,
};
const posted: string[] = [];
const gateway = {
  postCustomerMessage: async (_session: Session, message: { text: string }) => void posted.push(message.text),
  wasPosted: async () => false,
} as unknown as FlexGateway;

const handle = createToFlexHandler({
  channels: new Map([['insta', channel]]),
  gateway,
  // As the session opener does: the session as the store has it now.
  openSession: async () => (await store.findActiveSession('insta', 'ig-1'))!,
  endSession: async () => undefined,
  metrics: createMetrics(store),
  recordInboundTime: createInboundTimeRecorder(store),
});

const context: HandlingContext = { releaseSlot: () => undefined, stopping: new AbortController().signal };
let ids = 0;
const messageAcceptedAt = (createdAt: number): OutboxItem<InboundPayload> => ({
  id: ++ids,
  queue: 'to-flex',
  orderingKey: 'k',
  attempts: 1,
  createdAt,
  payload: {
    version: OUTBOX_PAYLOAD_VERSION,
    channelType: 'insta',
    customer: { id: 'ig-1', name: 'Ivy' },
    message: { externalId: `m${ids}`, text: `message ${ids}` },
  },
});
const recorded = async () => (await store.findActiveSession('insta', 'ig-1'))!.resources.lastInboundAt;

test("each posted message keeps the time it was accepted as the customer's last message, a minute apart at the finest", async () => {
  assert.ok(await store.insertSession(session));
  await store.markSessionOpen(session.id);

  await handle(messageAcceptedAt(OPENED_AT + 10_000), context);
  assert.equal(await recorded(), undefined, 'the session started with their message: nothing to write yet');

  await handle(messageAcceptedAt(OPENED_AT + 5 * 60_000), context);
  assert.equal(await recorded(), OPENED_AT + 5 * 60_000);

  await handle(messageAcceptedAt(OPENED_AT + 5 * 60_000 + 30_000), context);
  assert.equal(await recorded(), OPENED_AT + 5 * 60_000, 'within a minute of the recorded one: not written again');

  await handle(messageAcceptedAt(OPENED_AT + 2 * 3_600_000), context);
  assert.equal(await recorded(), OPENED_AT + 2 * 3_600_000);
  assert.deepEqual(posted, ['message 1', 'message 2', 'message 3', 'message 4']);
});
