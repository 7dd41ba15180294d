/** Each platform's rule for writing first, as the agent is told it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChannelRuntime } from '../../src/config/channels.js';
import { reachabilityOf } from '../../src/agent-start/reachability.js';
import { MESSENGER_PLATFORMS } from '../../src/messengers/registry.js';
import type { Session } from '../../src/store/store.js';

const channel = (adapter: string): ChannelRuntime =>
  ({ channelType: adapter, displayName: adapter.toUpperCase(), adapter, maxMessageLength: 4096 }) as ChannelRuntime;
const session = { customerName: 'Dana' } as Session;
const storeWith = (sessions: Session[]) => ({ listCustomerSessions: async () => sessions });

test('a messenger customer the kit never talked to is refused, saying the platform rule', async () => {
  const expected: Record<string, RegExp> = {
    telegram: /never written to the bot: Telegram lets a bot write only to chats that started it/,
    line: /LINE push messages reach only users who added \(follow\) it/,
    webchat: /no web chat visitor with this id/,
    instagram: /does not let it write first/,
  };
  for (const [adapter, message] of Object.entries(expected)) {
    const verdict = await reachabilityOf(channel(adapter), 'someone', storeWith([]));
    assert.equal(verdict.reachable, false, adapter);
    assert.ok(!verdict.reachable && verdict.reason === 'customer_not_reachable' && message.test(verdict.message), adapter);
  }
});

test('a known customer is reachable under their name; LINE says it uses the monthly quota, web chat when it is shown', async () => {
  assert.deepEqual(await reachabilityOf(channel('telegram'), 'chat-1', storeWith([session])), { reachable: true, customerName: 'Dana' });
  const line = await reachabilityOf(channel('line'), 'U1', storeWith([session]));
  assert.ok(line.reachable && /monthly message quota/.test(line.notice ?? ''));
  const webchat = await reachabilityOf(channel('webchat'), 'v1', storeWith([session]));
  assert.ok(webchat.reachable && /next visit/.test(webchat.notice ?? ''));
});

test('a webhook channel is always asked: its delivery answers for its own customers', async () => {
  const verdict = await reachabilityOf(channel('webhook'), 'new-customer', storeWith([]));
  assert.ok(verdict.reachable);
  assert.equal(verdict.customerName, 'WEBHOOK customer');
});

test("a messenger channel is told its platform's own rule (its folder's), a generic one when the platform has none", async () => {
  const generic = await reachabilityOf(channel('instagram'), 'someone', storeWith([]));
  assert.ok(!generic.reachable);
  for (const platform of MESSENGER_PLATFORMS) {
    const unknown = await reachabilityOf(channel(platform.adapter), 'someone', storeWith([]));
    assert.ok(!unknown.reachable && unknown.message === (platform.reachability?.unknownCustomer ?? generic.message), platform.name);
    const known = await reachabilityOf(channel(platform.adapter), 'someone', storeWith([session]));
    assert.ok(known.reachable && known.notice === platform.reachability?.notice, platform.name);
  }
});
