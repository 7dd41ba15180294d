import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startHarness } from '@custom-channels/test-kit/harness';
import { activeConversationSid, conversationMessages, taskFor } from '@custom-channels/test-kit/flex-checks';
import type { InstagramTestUser } from '@custom-channels/test-kit/messengers/instagram-standin';
import { INSTAGRAM_TEST, startMessengerStandIns } from '@custom-channels/test-kit/messengers/messenger-channels';
import { eventually } from '@custom-channels/test-kit/poll';
import { createInstagramAdapter } from '../../src/messengers/instagram/instagram-adapter.js';
import { instagramVerifyToken } from '../../src/messengers/instagram/instagram-signature.js';
import { createSentMessages } from '../../src/messengers/instagram/sent-messages.js';
import { DEFAULT_ENDED_TEXT } from '../../src/messengers/messenger-settings.js';

type Results = { results: Array<{ status: string; id?: string; reason?: string }> };

const DAY_MS = 24 * 60 * 60 * 1000;

describe('an Instagram channel, through the middleware, the Twilio stand-in and the Messenger Platform stand-in', async () => {
  const messengers = await startMessengerStandIns();
  const harness = await startHarness({ routing: 'interactions', env: { ...messengers.env, LOG_LEVEL: 'debug' } });
  after(async () => {
    await harness.stop();
    await messengers.close();
  });
  const { instagram } = messengers;
  const url = `${harness.middleware.url}/channels/instagram/${INSTAGRAM_TEST.channelType}`;
  const verifyToken = instagramVerifyToken(INSTAGRAM_TEST.appSecret, INSTAGRAM_TEST.channelType);
  const deliver = (delivery: unknown, signature?: string | null) => instagram.deliver(delivery, { url, signature });
  const sentTo = (user: InstagramTestUser) => instagram.sent.filter((message) => message.to === user.id);
  const acceptedTask = async (user: InstagramTestUser) => {
    const task = await taskFor(harness, await activeConversationSid(harness, user.id, INSTAGRAM_TEST.channelType));
    await harness.control.accept(task.sid);
    return task;
  };
  const bodiesOf = async (user: InstagramTestUser, count: number) => {
    const conversationSid = await activeConversationSid(harness, user.id, INSTAGRAM_TEST.channelType);
    const messages = await eventually(async () => {
      const all = await conversationMessages(harness, conversationSid);
      return all.length >= count && all;
    }, `${count} messages in the conversation`);
    return messages.map((message) => message.body);
  };
  let firstUser: InstagramTestUser | undefined;

  test("Meta's subscription check: the right verify token gets the challenge back; a wrong token or mode is refused", async () => {
    const wrong = await instagram.verifySubscription(url, 'not-the-verify-token');
    assert.equal(wrong.status, 403);
    assert.match(wrong.body, /verification_refused/);
    assert.equal((await instagram.verifySubscription(url, verifyToken, 'unsubscribe')).status, 403);
    const unknown = await instagram.verifySubscription(`${harness.middleware.url}/channels/instagram/nope`, verifyToken);
    assert.equal(unknown.status, 404);
    const right = await instagram.verifySubscription(url, verifyToken);
    assert.equal(right.accepted, true, `answered ${right.status} ${right.body}`);
  });

  test('the whole loop: a customer writes, Flex gets a task named from the profile, the agent replies, reads and ends the chat', async () => {
    const user = instagram.newUser('Ann Example');
    const event = instagram.textEvent(user, 'Hello from Instagram');
    const answer = await deliver(instagram.callback(event));
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, { results: [{ status: 'accepted', id: event.message.mid }] });

    const conversationSid = await activeConversationSid(harness, user.id, INSTAGRAM_TEST.channelType);
    const task = await taskFor(harness, conversationSid);
    assert.equal(task.attributes.channelType, INSTAGRAM_TEST.channelType);
    assert.equal(task.attributes.name, 'Ann Example');
    assert.deepEqual(await bodiesOf(user, 1), ['Hello from Instagram']);
    assert.equal((await deliver(instagram.callback(instagram.textEvent(user, 'second message')))).status, 200);
    await bodiesOf(user, 2);
    assert.equal(instagram.profileLookups, 1, 'the name is looked up once and kept');

    await harness.control.accept(task.sid);
    await harness.control.reply(task.sid, 'Hi Ann, how can I help?');
    await eventually(() => sentTo(user).some((message) => message.text), 'the reply at Instagram');
    assert.deepEqual(sentTo(user)[0], { to: user.id, text: 'Hi Ann, how can I help?', sentAs: 'RESPONSE' });
    await harness.control.read(task.sid);
    await eventually(() => sentTo(user).some((message) => message.senderAction === 'mark_seen'), "the agent's read as mark_seen");

    const seen = await deliver(instagram.callback(instagram.readEvent(user)));
    assert.deepEqual(seen.body, { results: [{ status: 'read' }] });
    const identity = (await harness.middleware.store.findActiveSession(INSTAGRAM_TEST.channelType, user.id))!.identity;
    const reply = (await harness.admin.conversations.v1.conversations(conversationSid).messages.list()).find(
      (message) => message.body === 'Hi Ann, how can I help?',
    )!;
    await eventually(
      async () => (await harness.admin.conversations.v1.conversations(conversationSid).participants(identity).fetch()).lastReadMessageIndex === reply.index,
      "the customer's read horizon at the reply",
    );

    await harness.control.complete(task.sid);
    await eventually(() => sentTo(user).some((message) => message.text === DEFAULT_ENDED_TEXT), 'the end of the chat at Instagram');
    firstUser = user;
  });

  test('a forged, tampered, malformed or missing signature is refused, and nothing reaches Twilio or the profile API', async () => {
    const user = instagram.newUser('Mallory');
    const delivery = instagram.callback(instagram.textEvent(user, 'forged'));
    const raw = JSON.stringify(delivery);
    const tampered = JSON.stringify({ ...delivery, entry: [{ ...delivery.entry[0]!, time: 1 }] });
    const before = harness.twilioRequests.length;
    const lookupsBefore = instagram.profileLookups;
    const forgeries = [
      null,
      'sha256=',
      instagram.sign(tampered),
      instagram.sign(raw).toUpperCase(),
      instagram.sign(raw).replace('sha256=', 'sha1='),
      `${instagram.sign(raw)}00`,
      `sha256=${'0'.repeat(64)}`,
    ];
    for (const signature of forgeries) {
      const answer = await deliver(delivery, signature);
      assert.equal(answer.status, 401, `signature ${signature}`);
      assert.equal((answer.body as { error: { code: string } }).error.code, 'invalid_signature');
    }
    assert.equal(harness.twilioRequests.length, before);
    assert.equal(instagram.profileLookups, lookupsBefore);
    assert.equal(await harness.middleware.store.findActiveSession(INSTAGRAM_TEST.channelType, user.id), undefined);
  });

  test('a replayed delivery (the same signed body again) is answered as a duplicate and gives one message', async () => {
    const user = instagram.newUser('Bo');
    const delivery = instagram.callback(instagram.textEvent(user, 'only once'));
    assert.equal((await deliver(delivery)).status, 200);
    const again = await deliver(delivery);
    assert.equal(again.status, 200);
    assert.equal((again.body as Results).results[0]!.status, 'duplicate');
    assert.equal((await deliver(instagram.callback(instagram.textEvent(user, 'second')))).status, 200);
    assert.deepEqual(await bodiesOf(user, 2), ['only once', 'second']);
  });

  test("one delivery with several entries is split into each customer's messages; echoes and reads of unknown messages are answered and dropped", async () => {
    const [cy, di] = [instagram.newUser('Cy'), instagram.newUser('Di')];
    const delivery = {
      object: 'instagram',
      entry: [
        { id: instagram.accountId, time: Date.now(), messaging: [instagram.textEvent(cy, 'from Cy'), instagram.textEvent(di, 'from Di')] },
        {
          id: instagram.accountId,
          time: Date.now(),
          messaging: [
            { ...instagram.textEvent(cy, 'sent by the account'), message: { mid: 'm-echo', text: 'echo', is_echo: true } },
            { sender: { id: cy.id }, recipient: { id: instagram.accountId }, timestamp: Date.now(), read: { mid: 'm-read' } },
            instagram.textEvent(cy, 'Cy again'),
          ],
        },
      ],
    };
    const answer = await deliver(delivery);
    assert.equal(answer.status, 200);
    assert.deepEqual(
      (answer.body as Results).results.map((result) => result.status),
      ['accepted', 'accepted', 'ignored', 'ignored', 'accepted'],
    );
    assert.deepEqual(await bodiesOf(cy, 2), ['from Cy', 'Cy again']);
    assert.deepEqual(await bodiesOf(di, 1), ['from Di']);
    assert.equal((await deliver({ object: 'page', entry: [] })).status, 400);
  });

  test('story replies and mentions, shares and reels arrive as links; a reaction is told to the agent, an unsent message is marked withdrawn and the agent told', async () => {
    const user = instagram.newUser('Eve');
    const story = 'https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1';
    const reply = instagram.messagingEvent(user, { text: 'love this', reply_to: { story: { url: story, id: '1' } } });
    const events = [
      reply,
      instagram.messagingEvent(user, { attachments: [{ type: 'story_mention', payload: { url: story } }] }),
      instagram.messagingEvent(user, { attachments: [{ type: 'share', payload: { url: 'https://www.instagram.com/p/abc/' } }] }),
      instagram.messagingEvent(user, { attachments: [{ type: 'ig_reel', payload: { url: 'https://www.instagram.com/reel/xyz/', title: 'a reel' } }] }),
      {
        sender: { id: user.id },
        recipient: { id: instagram.accountId },
        timestamp: Date.now(),
        reaction: { mid: reply.message.mid, action: 'react', reaction: 'love', emoji: '❤️' },
      },
      instagram.messagingEvent(user, { mid: reply.message.mid, is_deleted: true }),
    ];
    const answer = await deliver(instagram.callback(...events));
    assert.deepEqual(
      (answer.body as Results).results.map((result) => result.status),
      ['accepted', 'accepted', 'accepted', 'accepted', 'accepted', 'accepted'],
    );
    assert.deepEqual(await bodiesOf(user, 6), [
      `[replied to your story: ${story}]\nlove this`,
      `[mentioned you in their story: ${story}]`,
      '[shared a post: https://www.instagram.com/p/abc/]',
      '[shared a reel: https://www.instagram.com/reel/xyz/]',
      '[reacted ❤️ to a message]',
      '[unsent a message]',
    ]);
    const conversationSid = await activeConversationSid(harness, user.id, INSTAGRAM_TEST.channelType);
    const marked = await eventually(async () => {
      const messages = await harness.admin.conversations.v1.conversations(conversationSid).messages.list({ order: 'asc' });
      const attributes = messages.map((message) => JSON.parse(message.attributes) as { withdrawn?: boolean });
      return attributes[0]!.withdrawn === true && attributes;
    }, 'the unsent message marked withdrawn in Flex');
    assert.deepEqual(
      marked.map((attributes) => attributes.withdrawn === true),
      [true, false, false, false, false, false],
    );
  });

  test("a picture each way: the customer's through the media pipeline into MCS, the agent's by its signed link, which Instagram fetches", async () => {
    const user = instagram.newUser('Fay');
    const picture = randomBytes(80_000);
    assert.equal((await deliver(instagram.callback(instagram.imageEvent(user, picture)))).status, 200);
    const conversationSid = await activeConversationSid(harness, user.id, INSTAGRAM_TEST.channelType);
    const [posted] = await eventually(async () => {
      const messages = await harness.admin.conversations.v1.conversations(conversationSid).messages.list();
      return messages.length === 1 && messages;
    }, 'the picture in the conversation');
    const media = posted!.media as Array<{ content_type: string; size: number }>;
    assert.deepEqual([media[0]!.content_type, media[0]!.size], ['image/jpeg', picture.length]);

    const task = await acceptedTask(user);
    const reply = randomBytes(40_000);
    await harness.control.attach(task.sid, { bytes: reply, contentType: 'image/png', filename: 'label.png' });
    const [sent] = await eventually(() => {
      const list = sentTo(user).filter((message) => message.attachment);
      return list.length === 1 && list;
    }, 'the picture at Instagram');
    assert.equal(sent!.attachment!.type, 'image');
    assert.equal(sent!.attachment!.bytes, reply.length, 'Instagram fetched the picture from the link');
    assert.ok(sent!.attachment!.url.startsWith(`${harness.config.publicBaseUrl}/media/`));
  });

  test("Meta's rate limit (code 613) and outage (code 2) are retried, and the reply arrives once", async () => {
    const user = instagram.newUser('Gus');
    assert.equal((await deliver(instagram.callback(instagram.textEvent(user, 'hi')))).status, 200);
    const task = await acceptedTask(user);
    instagram.failNext({ status: 400, code: 613 }, { status: 500, code: 2 }, { status: 400, code: 4 });
    await harness.control.reply(task.sid, 'after the rate limit');
    await eventually(() => sentTo(user).length === 1, 'the reply after the failures');
    assert.equal(sentTo(user)[0]!.text, 'after the rate limit');
  });

  test('after 24 hours a reply goes with the HUMAN_AGENT tag; after 7 days it is a dead letter, and the agent is told why', async () => {
    const user = instagram.newUser('Hal');
    assert.equal((await deliver(instagram.callback(instagram.textEvent(user, 'are you there?')))).status, 200);
    const task = await acceptedTask(user);
    instagram.advanceClock(DAY_MS + 60_000);
    await harness.control.reply(task.sid, 'sorry for the wait');
    await eventually(() => sentTo(user).length === 1, 'the tagged reply');
    assert.deepEqual(sentTo(user)[0], { to: user.id, text: 'sorry for the wait', sentAs: 'HUMAN_AGENT' });

    instagram.advanceClock(7 * DAY_MS);
    await harness.control.reply(task.sid, 'still there?');
    const [letter] = await eventually(async () => {
      const letters = (await harness.middleware.store.listDeadLetters({ queue: 'to-channel' })).filter((entry) => entry.reason.includes('7 days'));
      return letters.length > 0 && letters;
    }, 'the dead letter');
    assert.match(letter!.reason, /Instagram takes human agent replies for 7 days after the customer last wrote/);
    assert.equal(sentTo(user).length, 1);
    const bodies = await bodiesOf(user, 4);
    assert.equal(
      bodies.at(-1),
      'Not delivered: instagram refused this message (Instagram takes human agent replies for 7 days after the customer last wrote). The customer did not get it.',
      'the agent is told in the conversation',
    );
  });

  test('without the HUMAN_AGENT tag, a reply after 24 hours is refused for good, saying why; the end of the chat sends nothing more', async () => {
    const user = instagram.newUser('Ida');
    await deliver(instagram.callback(instagram.textEvent(user, 'hello')));
    const channel = harness.config.channels.find((entry) => entry.channelType === INSTAGRAM_TEST.channelType)!;
    const adapter = createInstagramAdapter(createSentMessages());
    const reply = { type: 'message' as const, id: 'IMwindow1', conversationSid: 'CH0', to: { id: user.id }, author: 'agent', text: 'late' };
    assert.deepEqual(await adapter.deliver({ ...channel, options: undefined }, reply), { ok: true });
    instagram.advanceClock(DAY_MS + 60_000);
    assert.deepEqual(await adapter.deliver({ ...channel, options: undefined }, { ...reply, id: 'IMwindow2' }), {
      kind: 'permanent',
      reason: 'Instagram takes replies for 24 hours after the customer last wrote, and this channel does not use the HUMAN_AGENT tag',
    });
    const ended = await adapter.deliver(channel, { type: 'ended', id: 'IMwindow3', conversationSid: 'CH0', to: { id: user.id } });
    assert.equal('kind' in ended && ended.kind, 'permanent', 'the automatic end-of-chat text never uses the human agent tag');
    assert.deepEqual(await adapter.deliver(channel, { type: 'read', id: 'IMwindow4', conversationSid: 'CH0', to: { id: user.id }, upTo: 'm' }), { ok: true });
    assert.deepEqual(
      sentTo(user).map((message) => message.text),
      ['late'],
    );
  });

  test('after every case above, the debug logs hold no name, text, customer id or credential', () => {
    const logs = harness.logLines.join('');
    assert.ok(logs.length > 0 && firstUser !== undefined);
    for (const value of [
      firstUser!.id,
      'Ann Example',
      'Hello from Instagram',
      'Hi Ann, how can I help?',
      INSTAGRAM_TEST.accessToken,
      INSTAGRAM_TEST.appSecret,
      verifyToken,
    ]) {
      assert.ok(!logs.includes(value), `logs must not contain ${value}`);
    }
  });
});
