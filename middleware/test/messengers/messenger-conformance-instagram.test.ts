import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness } from '@custom-channels/test-kit/harness';
import { activeConversationSid, conversationMessages, taskFor } from '@custom-channels/test-kit/flex-checks';
import { instagramConformanceRow } from '@custom-channels/test-kit/messengers/instagram-conformance';
import { startMessengerStandIns } from '@custom-channels/test-kit/messengers/messenger-channels';
import { eventually } from '@custom-channels/test-kit/poll';

type Results = { results: Array<{ status: string }> };

describe('the messenger conformance cases, over a platforms table (Instagram row)', async () => {
  const standIns = await startMessengerStandIns();
  const harness = await startHarness({ routing: 'interactions', env: standIns.env });
  after(async () => {
    await harness.stop();
    await standIns.close();
  });
  const platforms = [instagramConformanceRow(standIns)];

  for (const row of platforms) {
    const url = `${harness.middleware.url}/channels/${row.adapter}/${row.channelType}`;

    test(`${row.platform}: a text reaches Flex once however often it is delivered; the reply arrives after the platform's throttling, once`, async () => {
      const customer = row.newCustomer(`${row.platform} Conformance`);
      const { body, messageId } = row.textDelivery(customer, 'conformance hello');
      assert.deepEqual((await row.deliver(body, url)).body, { results: [{ status: 'accepted', id: messageId }] });
      assert.equal(((await row.deliver(row.redelivery(body), url)).body as Results).results[0]!.status, 'duplicate');
      const conversationSid = await activeConversationSid(harness, row.customerId(customer), row.channelType);
      await eventually(async () => (await conversationMessages(harness, conversationSid)).length === 1, 'the message');
      const task = await taskFor(harness, conversationSid);
      await harness.control.accept(task.sid);
      row.throttleNextSends(2);
      await harness.control.reply(task.sid, 'conformance reply');
      await eventually(() => row.textsSentTo(customer).length === 1, 'the reply at the platform');
      assert.deepEqual(row.textsSentTo(customer), ['conformance reply']);
    });

    test(`${row.platform}: forged signatures are refused before anything reaches Twilio`, async () => {
      const customer = row.newCustomer('Forger');
      const { body } = row.textDelivery(customer, 'forged');
      const before = harness.twilioRequests.length;
      for (const signature of row.forgedSignatures(JSON.stringify(body))) assert.equal((await row.deliver(body, url, signature)).status, 401);
      assert.equal(harness.twilioRequests.length, before);
    });
  }
});
