/**
 * Erasure of one customer: the forget CLI on both engines, the admin endpoint end to end
 * with the customer's conversation deleted at the Twilio stand-in, and the CLI's --twilio.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { runForgetCli } from '../../src/retention/forget-cli.js';
import { openStore } from '../../src/store/index.js';
import { erasureTombstones } from '../../src/retention/erasure-tombstones.js';
import { customerOrderingKey } from '../../src/store/store.js';
import { databaseLocation } from '../../src/config/load-config.js';
import { startHarness } from '@custom-channels/test-kit/harness';
import { sendFirstMessage } from '@custom-channels/test-kit/flex-checks';
import { eventually } from '@custom-channels/test-kit/poll';
import { startRedisServer, type RedisServer } from '@custom-channels/test-kit/redis-server';

const ADMIN_TOKEN = 'admin-token-for-erasure-tests-0123456789';
const CUSTOMER_IDENTITY_SECRET = 'identity-secret-for-erasure-tests-0123';
let redis: RedisServer;
before(async () => {
  redis = await startRedisServer();
});
after(() => redis.stop());

const urls: Record<string, () => string> = {
  sqlite: () => `sqlite:${join(mkdtempSync(join(tmpdir(), 'cc-forget-')), 'middleware.sqlite')}`,
  redis: () => redis.url,
};

/** A web chat visitor with a closed and an open session, a queued message, a dead letter and a transcript; and another visitor. */
async function seed(url: string, visitor: string, other: string): Promise<void> {
  const store = await openStore(databaseLocation(url));
  const base = {
    channelType: 'webchat',
    customerName: 'Ann Example',
    state: 'creating' as const,
    createdAt: 1,
  };
  for (const [id, customerId] of [
    ['s-old', visitor],
    ['s-other', other],
  ] as const) {
    await store.insertSession({
      ...base,
      id,
      customerId,
      identity: `webchat_${customerId}`,
      resources: { conversationSid: `CH-${id}` },
    });
    await store.markSessionOpen(id);
  }
  await store.closeSession('s-old', Date.now());
  await store.insertSession({
    ...base,
    id: 's-new',
    customerId: visitor,
    identity: `webchat_${visitor}`,
    resources: {},
  });
  await store.enqueue({ queue: 'to-channel', orderingKey: 's-old', payload: { text: 'my address is 1 Main St' } }, ['twilio-message:IM1']);
  const [parked] = await store.claimDue('to-channel', Date.now(), 10, 1000);
  await store.markFailed(parked!.id, 'refused');
  await store.enqueue({ queue: 'to-flex', orderingKey: customerOrderingKey('webchat', visitor), payload: { text: 'hello' } }, ['inbound:webchat:m1']);
  await store.enqueue({ queue: 'to-flex', orderingKey: customerOrderingKey('webchat', other), payload: { text: 'hi' } }, ['inbound:webchat:m2']);
  for (const [who, id] of [
    [visitor, 'a'],
    [visitor, 'b'],
    [other, 'c'],
  ]) {
    await store.transcripts.append('webchat', who!, `agent:${id}`, {
      kind: 'agent-message',
      id: id!,
      text: 'personal',
      at: 1,
    });
  }
  await store.close();
}

for (const [engine, urlFor] of Object.entries(urls)) {
  test(`${engine}: npm run forget deletes one customer's data and prints counts only`, async () => {
    const url = urlFor();
    const visitor = `v_${randomUUID().replaceAll('-', '')}`;
    const other = `v_${randomUUID().replaceAll('-', '')}`;
    await seed(url, visitor, other);
    const lines: string[] = [];
    assert.equal(await runForgetCli(['webchat', visitor], { DATABASE_URL: url, CUSTOMER_IDENTITY_SECRET }, (line) => lines.push(line)), 0);
    assert.deepEqual(lines, [
      'sessions: 2',
      'pending entries: 1',
      'dead letters: 1',
      'dedupe keys: 2',
      'web chat transcript events: 2',
      'post-chat surveys: 0',
    ]);
    const json: string[] = [];
    await runForgetCli(['webchat', visitor, '--json'], { DATABASE_URL: url, CUSTOMER_IDENTITY_SECRET }, (line) => json.push(line));
    assert.deepEqual(JSON.parse(json.join('\n')), {
      erased: { sessions: 0, pendingEntries: 0, deadLetters: 0, dedupeKeys: 0, transcriptEvents: 0, surveys: 0 },
    });

    const store = await openStore(databaseLocation(url), { tombstones: erasureTombstones({ identitySecret: CUSTOMER_IDENTITY_SECRET }) });
    try {
      assert.equal(
        await store.enqueue({ queue: 'to-flex', orderingKey: customerOrderingKey('webchat', visitor), payload: { text: 'hello' } }, ['inbound:webchat:m1']),
        false,
        "the middleware finds the CLI's tombstone: a replay stores nothing",
      );
      assert.equal((await store.findActiveSession('webchat', other))?.id, 's-other', 'the other visitor is untouched');
      assert.equal((await store.transcripts.read('webchat', other, 0, 10)).length, 1);
      assert.deepEqual(
        (await store.claimDue('to-flex', Date.now(), 10, 1000)).map((item) => item.payload),
        [{ text: 'hi' }],
      );
    } finally {
      await store.close();
    }
  });
}

test('the forget CLI needs the key of the tombstones', async () => {
  await assert.rejects(
    runForgetCli(['webchat', 'v_someone'], { DATABASE_URL: urls.sqlite!() }, () => undefined),
    /CUSTOMER_IDENTITY_SECRET or TWILIO_AUTH_TOKEN is missing/,
  );
});

test('the forget CLI refuses a missing customer id', async () => {
  await assert.rejects(
    runForgetCli(['webchat'], { DATABASE_URL: urls.sqlite!() }, () => undefined),
    /a channel type and a customer id are required/,
  );
});

describe('erasure with the Twilio resources, against the stand-in', () => {
  test('DELETE /admin/customers/:channelType/:customerId?twilio=true also deletes the conversation', async () => {
    const harness = await startHarness({ routing: 'interactions', env: { ADMIN_TOKEN } });
    try {
      const customer = { id: '+15550007777', name: 'Ann Example' };
      const conversationSid = await sendFirstMessage(harness, {
        id: 'erase-1',
        from: customer,
        text: 'please forget me',
      });
      await eventually(async () => (await harness.middleware.store.countOutbox()).every((count) => count.pending === 0), 'the message posted');
      const erase = (query: string, token?: string) =>
        harness.middleware.app.http.inject({
          method: 'DELETE',
          url: `/admin/customers/chatapp/${encodeURIComponent(customer.id)}${query}`,
          headers: token ? { authorization: `Bearer ${token}` } : {},
        });
      assert.equal((await erase('?twilio=true')).statusCode, 401);
      assert.equal((await erase('?twilio=yes', ADMIN_TOKEN)).json().error.field, 'twilio');

      harness.sandbox.setFaults({ http: [{ match: { product: 'conversations', method: 'DELETE' }, rate500: 1 }] });
      const refused = await erase('?twilio=true', ADMIN_TOKEN);
      assert.equal(refused.statusCode, 502);
      assert.match(refused.json().error.message, /Twilio answered 500.*data was kept/);
      assert.equal((await harness.middleware.store.listCustomerSessions('chatapp', customer.id)).length, 1, 'nothing erased yet');
      harness.sandbox.setFaults({});

      const response = await erase('?twilio=true', ADMIN_TOKEN);
      assert.equal(response.statusCode, 200);
      assert.deepEqual(response.json(), {
        erased: {
          sessions: 1,
          pendingEntries: 0,
          deadLetters: 0,
          dedupeKeys: 1,
          transcriptEvents: 0,
          surveys: 0,
          twilio: { deleted: 1, alreadyGone: 0 },
        },
      });
      await assert.rejects(harness.admin.conversations.v1.conversations(conversationSid).fetch(), { status: 404 });
      assert.equal(await harness.middleware.store.findActiveSession('chatapp', customer.id), undefined);
      const logged = harness.logLines.filter((line) => line.includes('customer erased'));
      assert.equal(logged.length, 1);
      assert.ok(!logged[0]!.includes(customer.id), 'the customer id is logged hashed');
    } finally {
      await harness.stop();
    }
  });

  test('npm run forget -- --twilio deletes the conversation', async () => {
    const harness = await startHarness({ routing: 'interactions' });
    try {
      const customer = { id: 'legacy-customer-1', name: 'Bo Example' };
      const conversationSid = await sendFirstMessage(harness, { id: 'erase-2', from: customer, text: 'forget me too' });
      const lines: string[] = [];
      assert.equal(await runForgetCli(['chatapp', customer.id, '--twilio'], harness.env, (line) => lines.push(line)), 0);
      assert.ok(lines.includes('sessions: 1'), lines.join('\n'));
      assert.ok(lines.includes('Twilio conversations deleted: 1 (already gone: 0)'), lines.join('\n'));
      await assert.rejects(harness.admin.conversations.v1.conversations(conversationSid).fetch(), { status: 404 });
    } finally {
      await harness.stop();
    }
  });
});
