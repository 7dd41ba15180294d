import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness } from '@custom-channels/test-kit/harness';
import { activeConversationSid, conversationMessages, taskFor } from '@custom-channels/test-kit/flex-checks';
import { lineUserId } from '@custom-channels/test-kit/messengers/line-standin';
import { LINE_TEST, startMessengerStandIns } from '@custom-channels/test-kit/messengers/messenger-channels';
import { eventually } from '@custom-channels/test-kit/poll';
import { DEFAULT_ENDED_TEXT } from '../../src/messengers/messenger-settings.js';

type Results = { results: Array<{ status: string; id?: string; reason?: string }> };

describe('a LINE channel, through the middleware, the Twilio stand-in and the Messaging API stand-in', async () => {
  const messengers = await startMessengerStandIns();
  const harness = await startHarness({ routing: 'interactions', env: messengers.env });
  after(async () => {
    await harness.stop();
    await messengers.close();
  });
  const { line } = messengers;
  const url = `${harness.middleware.url}/channels/line/${LINE_TEST.channelType}`;
  const deliver = (callback: unknown, signature?: string | null) => line.deliver(callback, { url, signature });
  const pushedTo = (userId: string) => line.pushed.filter((message) => message.to === userId);
  const newUser = (displayName: string) => ({ userId: lineUserId(), displayName });
  let firstUser = '';

  test('the whole loop: a user writes, Flex gets a task named from the profile, the agent replies by push and ends the chat', async () => {
    const user = newUser('Ann Example');
    const callback = line.textCallback(user, 'Hello from LINE');
    const answer = await deliver(callback);
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, { results: [{ status: 'accepted', id: callback.events[0]!.webhookEventId }] });

    const conversationSid = await activeConversationSid(harness, user.userId, LINE_TEST.channelType);
    const task = await taskFor(harness, conversationSid);
    assert.equal(task.attributes.channelType, LINE_TEST.channelType);
    assert.equal(task.attributes.name, 'Ann Example');
    const [message] = await eventually(async () => {
      const messages = await conversationMessages(harness, conversationSid);
      return messages.length === 1 && messages;
    }, 'the message in the conversation');
    assert.equal(message!.body, 'Hello from LINE');

    assert.equal((await deliver(line.textCallback(user, 'second message'))).status, 200);
    await eventually(async () => (await conversationMessages(harness, conversationSid)).length === 2, 'the second message');
    assert.equal(line.profileLookups, 1, 'the display name is looked up once and kept');

    await harness.control.accept(task.sid);
    await harness.control.reply(task.sid, 'Hi Ann, how can I help?');
    await eventually(() => pushedTo(user.userId).length === 1, 'the agent reply pushed to LINE');
    assert.equal(pushedTo(user.userId)[0]!.text, 'Hi Ann, how can I help?');
    assert.match(pushedTo(user.userId)[0]!.retryKey ?? '', /^[0-9a-f-]{36}$/, 'each push carries a retry key');

    await harness.control.complete(task.sid);
    await eventually(() => pushedTo(user.userId).length === 2, 'the end of the chat at LINE');
    assert.equal(pushedTo(user.userId)[1]!.text, DEFAULT_ENDED_TEXT);
    firstUser = user.userId;
  });

  test('an unsigned or wrongly signed request is refused and nothing reaches Twilio', async () => {
    const user = newUser('Mallory');
    const callback = line.textCallback(user, 'forged');
    const before = harness.twilioRequests.length;
    const lookupsBefore = line.profileLookups;
    const tampered = { ...callback, events: [{ ...callback.events[0]!, message: { ...callback.events[0]!.message, text: 'tampered' } }] };
    for (const signature of [null, 'bm90IGEgc2lnbmF0dXJl', line.sign(JSON.stringify(tampered))]) {
      const answer = await deliver(callback, signature);
      assert.equal(answer.status, 401);
      assert.equal((answer.body as { error: { code: string } }).error.code, 'invalid_signature');
    }
    assert.equal(harness.twilioRequests.length, before);
    assert.equal(line.profileLookups, lookupsBefore, 'nothing is looked up for a request that is not from LINE');
    assert.equal(await harness.middleware.store.findActiveSession(LINE_TEST.channelType, user.userId), undefined);
  });

  test("a redelivery (isRedelivery, same webhookEventId) gives one message; the console's empty verification call is answered", async () => {
    const user = newUser('Bo');
    const callback = line.textCallback(user, 'only once');
    assert.equal((await deliver(callback)).status, 200);
    const again = await deliver(line.redelivery(callback));
    assert.equal(again.status, 200);
    assert.equal((again.body as Results).results[0]!.status, 'duplicate');
    const conversationSid = await activeConversationSid(harness, user.userId, LINE_TEST.channelType);
    assert.equal((await deliver(line.textCallback(user, 'second'))).status, 200);
    const messages = await eventually(async () => {
      const all = await conversationMessages(harness, conversationSid);
      return all.length >= 2 && all;
    }, 'both messages');
    assert.deepEqual(
      messages.map((message) => message.body),
      ['only once', 'second'],
    );
    const verification = await deliver({ destination: callback.destination, events: [] });
    assert.deepEqual(verification, { status: 200, body: { results: [] } });
  });

  test('a sticker becomes a placeholder and a place a map link, each with its values; follow, unfollow and group messages are answered and dropped', async () => {
    const user = newUser('Cy');
    const [text] = line.textCallback(user, 'unused').events;
    const event = (overrides: Record<string, unknown>) => ({ ...text!, webhookEventId: `${text!.webhookEventId}${Math.random()}`, ...overrides });
    const callback = {
      destination: 'Udeadbeef',
      events: [
        event({ message: { type: 'sticker', id: '1', packageId: '446', stickerId: '1988', stickerResourceType: 'STATIC', keywords: ['happy', 'smile'] } }),
        event({ message: { type: 'location', id: '2', title: 'Office', address: 'Tokyo', latitude: 35.6, longitude: 139.7 } }),
        event({ type: 'follow', message: undefined, follow: { isUnblocked: false } }),
        event({ type: 'unfollow', message: undefined, replyToken: undefined }),
        event({ source: { type: 'group', groupId: 'Cabc', userId: user.userId } }),
      ],
    };
    const answer = await deliver(callback);
    assert.equal(answer.status, 200);
    assert.deepEqual(
      (answer.body as Results).results.map((result) => result.status),
      ['accepted', 'accepted', 'ignored', 'ignored', 'ignored'],
    );
    const conversationSid = await activeConversationSid(harness, user.userId, LINE_TEST.channelType);
    const messages = await eventually(async () => {
      const all = await conversationMessages(harness, conversationSid);
      return all.length >= 2 && all;
    }, 'the placeholders');
    assert.deepEqual(
      messages.map((message) => message.body),
      ['[sticker: happy, smile]', 'Shared a location: Office, Tokyo\nhttps://www.openstreetmap.org/?mlat=35.6&mlon=139.7#map=17/35.6/139.7'],
    );
    assert.deepEqual(messages[1]!.attributes.location, { latitude: 35.6, longitude: 139.7, label: 'Office', address: 'Tokyo' });
    const malformed = await deliver({ events: [] });
    assert.equal(malformed.status, 400);
  });

  test("LINE's 429 is retried, and the push arrives once", async () => {
    const user = newUser('Di');
    assert.equal((await deliver(line.textCallback(user, 'hi'))).status, 200);
    const conversationSid = await activeConversationSid(harness, user.userId, LINE_TEST.channelType);
    const task = await taskFor(harness, conversationSid);
    await harness.control.accept(task.sid);
    line.throttle(2);
    await harness.control.reply(task.sid, 'after the rate limit');
    await eventually(() => pushedTo(user.userId).length === 1, 'the push after two 429s');
    assert.equal(pushedTo(user.userId)[0]!.text, 'after the rate limit');
  });

  test('after every case above, the debug logs hold no name, text, user id or credential', () => {
    const logs = harness.logLines.join('');
    assert.ok(logs.length > 0 && firstUser !== '');
    for (const value of [firstUser, 'Ann Example', 'Hello from LINE', 'Hi Ann, how can I help?', LINE_TEST.accessToken, LINE_TEST.channelSecret]) {
      assert.ok(!logs.includes(value), `logs must not contain ${value}`);
    }
  });
});
