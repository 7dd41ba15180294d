/**
 * Finding the customer: GET /agent/customers, with the agent's Flex token, lists the channel's
 * customers whose id or name contains the text, most recently seen first, each with whether the
 * agent can write first now.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeChannelsFile } from '@custom-channels/test-kit/channels-file';
import { describeWithHarness, type Harness } from '@custom-channels/test-kit/harness';
import { sendFirstMessage } from '@custom-channels/test-kit/flex-checks';

const env = { CHANNELS_FILE: writeChannelsFile({}, {}, { outbound: true }) };

async function tokenOf(harness: Harness, worker: string): Promise<string> {
  const response = await fetch(`${harness.sandbox.url}/sandbox/flex-tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ worker }),
  });
  return ((await response.json()) as { token: string }).token;
}

function search(harness: Harness, token: string | undefined, query: string) {
  return fetch(`${harness.middleware.url}/agent/customers?${query}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
}

describeWithHarness('agents find the customer to write to', { routing: 'interactions', env }, (harness) => {
  test('by name or id, most recent first, with what happens when the agent writes; only for an agent', async () => {
    await sendFirstMessage(harness, { id: 'find-1', from: { id: 'cust-find-1', name: 'Nora Quinn' }, text: 'Hello' });
    await sendFirstMessage(harness, { id: 'find-2', from: { id: 'cust-find-2', name: 'Omar Quinlan' }, text: 'Hi' });
    await sendFirstMessage(harness, { id: 'find-3', from: { id: 'cust-other', name: 'Pia' }, text: 'Hey' });
    const alice = await tokenOf(harness, 'alice');

    const byName = await search(harness, alice, 'channelType=chatapp&q=quin');
    assert.equal(byName.status, 200);
    const { customers } = (await byName.json()) as { customers: Array<Record<string, unknown>> };
    assert.deepEqual(
      customers.map((customer) => [customer.customerId, customer.customerName, customer.reachable, customer.hasOpenConversation]),
      [
        ['cust-find-2', 'Omar Quinlan', true, true],
        ['cust-find-1', 'Nora Quinn', true, true],
      ],
    );
    assert.match(String(customers[0]!.joins), /conversation in progress/);
    assert.match(String(customers[0]!.lastSeenAt), /^\d{4}-\d{2}-\d{2}T/);

    const byId = (await (await search(harness, alice, 'channelType=chatapp&q=CUST-OTHER')).json()) as { customers: Array<{ customerId: string }> };
    assert.deepEqual(
      byId.customers.map((customer) => customer.customerId),
      ['cust-other'],
    );
    const limited = (await (await search(harness, alice, 'channelType=chatapp&limit=1')).json()) as { customers: Array<{ customerId: string }> };
    assert.deepEqual(
      limited.customers.map((customer) => customer.customerId),
      ['cust-other'],
    );

    assert.equal((await search(harness, undefined, 'channelType=chatapp')).status, 401);
    assert.equal((await search(harness, 'forged.token.value.x.y', 'channelType=chatapp')).status, 401);
    const unknown = await search(harness, alice, 'channelType=nope');
    assert.equal(unknown.status, 404);
    const tooMany = await search(harness, alice, 'channelType=chatapp&limit=500');
    assert.equal(tooMany.status, 400);
    assert.equal(((await tooMany.json()) as { error: { field?: string } }).error.field, '/limit');
    assert.equal((await search(harness, alice, 'q=x')).status, 400);
  });
});
