import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { startHarness } from '@custom-channels/test-kit/harness';
import { activeConversationSid, conversationMessages, mcsBytes, taskFor } from '@custom-channels/test-kit/flex-checks';
import type { InstagramTestUser } from '@custom-channels/test-kit/messengers/instagram-standin';
import { lineUserId } from '@custom-channels/test-kit/messengers/line-standin';
import {
  ENDED_TEXT,
  INSTAGRAM_TEST,
  LINE_TEST,
  startMessengerStandIns,
  TELEGRAM_TEST,
  VIBER_TEST,
} from '@custom-channels/test-kit/messengers/messenger-channels';
import { viberUserId } from '@custom-channels/test-kit/messengers/viber-standin';
import { eventually } from '@custom-channels/test-kit/poll';
import { DEFAULT_ENDED_TEXT } from '../../src/messengers/messenger-settings.js';

type StandIns = Awaited<ReturnType<typeof startMessengerStandIns>>;
type Answer = { status: number; body: unknown };
type Results = { results: Array<{ status: string; id?: string }> };

/** A customer of one platform: the id the middleware keeps them by, and the name they show. */
interface Customer {
  id: string;
  name: string;
  /** The stand-in's own handle of them. */
  handle: unknown;
}

/**
 * What the suite needs of one messenger platform, through its stand-in. A row per platform:
 * the same cases run on each.
 */
interface Platform {
  adapter: string;
  channelType: string;
  endedText: string;
  /** The credentials no log line may hold. */
  secrets: string[];
  customer(name: string): Customer;
  textEvent(customer: Customer, text: string): unknown;
  pictureEvent(customer: Customer, bytes: Buffer): unknown;
  /** The same event as the platform sends it again. */
  redelivery(event: unknown): unknown;
  /** Posts the event to `url`, signed as the platform signs it, or forged: unsigned, or signed with another key. */
  deliver(event: unknown, url: string, forgery?: 'unsigned' | 'wrong key'): Promise<Answer>;
  /** The agent's texts at the platform, in order. */
  textsTo(customer: Customer): string[];
  /** The bytes of the agent's pictures as the customer gets them (fetched by the platform, or by the customer from the link). */
  picturesTo(customer: Customer): Promise<Buffer[]>;
}

const fetchBytes = async (url: string) => Buffer.from(await (await fetch(url)).arrayBuffer());

const platforms: Array<(standIns: StandIns) => Platform> = [
  ({ telegram }) => ({
    adapter: 'telegram',
    channelType: TELEGRAM_TEST.channelType,
    endedText: ENDED_TEXT,
    secrets: [TELEGRAM_TEST.token, TELEGRAM_TEST.secret],
    customer(name) {
      const id = nextTelegramUser++;
      return { id: String(id), name, handle: { id, first_name: name } };
    },
    textEvent: (customer, text) => telegram.textUpdate(customer.handle as { id: number; first_name: string }, text),
    pictureEvent: (customer, bytes) => telegram.photoUpdate(customer.handle as { id: number; first_name: string }, bytes),
    redelivery: (event) => event,
    deliver: (event, url, forgery) =>
      telegram.deliver(event, { url, secretToken: forgery === 'unsigned' ? null : forgery === 'wrong key' ? 'not-the-secret-token' : TELEGRAM_TEST.secret }),
    textsTo: (customer) => telegram.sent.filter((message) => message.chat_id === customer.id && message.text).map((message) => message.text),
    picturesTo: async (customer) => telegram.sent.filter((message) => message.chat_id === customer.id && message.photo).map((message) => message.bytes!),
  }),
  ({ line }) => ({
    adapter: 'line',
    channelType: LINE_TEST.channelType,
    endedText: DEFAULT_ENDED_TEXT,
    secrets: [LINE_TEST.accessToken, LINE_TEST.channelSecret],
    customer(name) {
      const userId = lineUserId();
      return { id: userId, name, handle: { userId, displayName: name } };
    },
    textEvent: (customer, text) => line.textCallback(customer.handle as { userId: string; displayName: string }, text),
    pictureEvent: (customer, bytes) => line.imageCallback(customer.handle as { userId: string; displayName: string }, bytes),
    redelivery: (event) => line.redelivery(event as Parameters<typeof line.redelivery>[0]),
    deliver: (event, url, forgery) =>
      line.deliver(event, {
        url,
        ...(forgery === 'unsigned' ? { signature: null } : {}),
        ...(forgery === 'wrong key' ? { signature: wrongKey(JSON.stringify(event), 'base64') } : {}),
      }),
    textsTo: (customer) =>
      line.pushed.filter((message) => message.to === customer.id && message.text && !/^\S+\.jpg /.test(message.text)).map((message) => message.text),
    // LINE takes image messages on https only: on this machine's http the customer gets the link.
    picturesTo: async (customer) =>
      Promise.all(
        line.pushed
          .filter((message) => message.to === customer.id && /^\S+\.jpg /.test(message.text))
          .map((message) => fetchBytes(/http:\/\/\S+/.exec(message.text)![0])),
      ),
  }),
  ({ viber }) => ({
    adapter: 'viber',
    channelType: VIBER_TEST.channelType,
    endedText: DEFAULT_ENDED_TEXT,
    secrets: [VIBER_TEST.authToken],
    customer(name) {
      const id = viberUserId();
      return { id, name, handle: { id, name } };
    },
    textEvent: (customer, text) => viber.textCallback(customer.handle as { id: string; name: string }, text),
    pictureEvent: (customer, bytes) => viber.pictureCallback(customer.handle as { id: string; name: string }, bytes),
    redelivery: (event) => event,
    deliver: (event, url, forgery) =>
      viber.deliver(event as string, {
        url,
        ...(forgery === 'unsigned' ? { signature: null } : {}),
        ...(forgery === 'wrong key' ? { signature: wrongKey(event as string, 'hex') } : {}),
      }),
    textsTo: (customer) => viber.sent.filter((message) => message.receiver === customer.id && message.type === 'text').map((message) => message.text),
    picturesTo: async (customer) =>
      viber.sent.filter((message) => message.receiver === customer.id && message.type === 'picture').map((message) => message.bytes!),
  }),
  ({ instagram }) => ({
    adapter: 'instagram',
    channelType: INSTAGRAM_TEST.channelType,
    endedText: DEFAULT_ENDED_TEXT,
    secrets: [INSTAGRAM_TEST.accessToken, INSTAGRAM_TEST.appSecret],
    customer(name) {
      const user = instagram.newUser(name);
      return { id: user.id, name, handle: user };
    },
    textEvent: (customer, text) => instagram.callback(instagram.textEvent(customer.handle as InstagramTestUser, text)),
    pictureEvent: (customer, bytes) => instagram.callback(instagram.imageEvent(customer.handle as InstagramTestUser, bytes)),
    redelivery: (event) => event,
    deliver: (event, url, forgery) =>
      instagram.deliver(event, {
        url,
        ...(forgery === 'unsigned' ? { signature: null } : {}),
        ...(forgery === 'wrong key' ? { signature: `sha256=${wrongKey(JSON.stringify(event), 'hex')}` } : {}),
      }),
    textsTo: (customer) => instagram.sent.filter((message) => message.to === customer.id && message.text).map((message) => message.text!),
    // The customer's app shows the stand-in's copy of what Meta fetched from the link.
    picturesTo: async (customer) =>
      Promise.all(
        instagram.sent.flatMap((message, index) =>
          message.to === customer.id && message.attachment?.type === 'image' ? [fetchBytes(`${instagram.url}/sandbox/files/${index}`)] : [],
        ),
      ),
  }),
];

/** A signature made with a key that is not the channel's. */
const wrongKey = (raw: string, encoding: 'hex' | 'base64') => createHmac('sha256', 'not-the-channel-key').update(raw).digest(encoding);
let nextTelegramUser = 5_600_001;

describe('the messenger conformance suite: each platform through the middleware, the Twilio stand-in and its own stand-in', async () => {
  const standIns = await startMessengerStandIns();
  const harness = await startHarness({ routing: 'interactions', env: { ...standIns.env, LOG_LEVEL: 'debug' } });
  after(async () => {
    await harness.stop();
    await standIns.close();
  });
  const personal: string[] = [];

  for (const row of platforms) {
    const platform = row(standIns);
    const url = () => `${harness.middleware.url}/channels/${platform.adapter}/${platform.channelType}`;
    const say = async (customer: Customer, text: string) => {
      const answer = await platform.deliver(platform.textEvent(customer, text), url());
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      return answer;
    };

    describe(platform.adapter, () => {
      test('the whole loop: the customer writes, Flex gets a task with their name, the agent replies and ends the chat', async () => {
        const customer = platform.customer(`Ann ${platform.adapter}`);
        personal.push(customer.name, customer.id, `hello from ${platform.adapter}`);
        const answer = await say(customer, `hello from ${platform.adapter}`);
        assert.equal((answer.body as Results).results[0]!.status, 'accepted');
        const conversationSid = await activeConversationSid(harness, customer.id, platform.channelType);
        const task = await taskFor(harness, conversationSid);
        assert.equal(task.attributes.channelType, platform.channelType);
        assert.equal(task.attributes.name, customer.name);
        const [message] = await eventually(async () => {
          const messages = await conversationMessages(harness, conversationSid);
          return messages.length === 1 && messages;
        }, 'the message in the conversation');
        assert.equal(message!.body, `hello from ${platform.adapter}`);

        await harness.control.accept(task.sid);
        await harness.control.reply(task.sid, 'Hi, how can I help?');
        await eventually(() => platform.textsTo(customer).length === 1, 'the reply at the platform');
        await harness.control.complete(task.sid);
        await eventually(() => platform.textsTo(customer).length === 2, 'the end of the chat at the platform');
        assert.deepEqual(platform.textsTo(customer), ['Hi, how can I help?', platform.endedText]);
      });

      test('a forged request (unsigned, or signed with another key) is refused 401 and nothing reaches Twilio', async () => {
        const customer = platform.customer('Mallory');
        const event = platform.textEvent(customer, 'forged');
        const before = harness.twilioRequests.length;
        for (const forgery of ['unsigned', 'wrong key'] as const) {
          const answer = await platform.deliver(event, url(), forgery);
          assert.equal(answer.status, 401, forgery);
          assert.equal((answer.body as { error: { code: string } }).error.code, 'invalid_signature');
        }
        assert.equal(harness.twilioRequests.length, before);
        assert.equal(await harness.middleware.store.findActiveSession(platform.channelType, customer.id), undefined);
      });

      test('a replayed or redelivered event gives one message', async () => {
        const customer = platform.customer('Bo');
        const event = platform.textEvent(customer, 'only once');
        assert.equal((await platform.deliver(event, url())).status, 200);
        const again = await platform.deliver(platform.redelivery(event), url());
        assert.equal(again.status, 200);
        assert.equal((again.body as Results).results[0]!.status, 'duplicate');
        await say(customer, 'second');
        const conversationSid = await activeConversationSid(harness, customer.id, platform.channelType);
        const messages = await eventually(async () => {
          const all = await conversationMessages(harness, conversationSid);
          return all.length >= 2 && all;
        }, 'both messages');
        assert.deepEqual(
          messages.map((message) => message.body),
          ['only once', 'second'],
        );
      });

      test("a picture each way: the customer's reaches Flex as a file, the agent's reaches the customer", async () => {
        const customer = platform.customer('Pia');
        const bytes = randomBytes(40_000);
        assert.equal((await platform.deliver(platform.pictureEvent(customer, bytes), url())).status, 200);
        const conversationSid = await activeConversationSid(harness, customer.id, platform.channelType);
        const [picture] = await eventually(async () => {
          const list = await harness.admin.conversations.v1.conversations(conversationSid).messages.list({ order: 'asc' });
          return list.length === 1 && list[0]!.media && list;
        }, 'the picture in the conversation');
        const media = picture!.media as Array<{ sid: string; content_type: string }>;
        assert.equal(media[0]!.content_type, 'image/jpeg');
        assert.deepEqual(await mcsBytes(harness, conversationSid, media[0]!.sid), bytes);

        const task = await taskFor(harness, conversationSid);
        await harness.control.accept(task.sid);
        const agents = randomBytes(30_000);
        await harness.control.attach(task.sid, { bytes: agents, contentType: 'image/jpeg', filename: 'label.jpg' });
        const [received] = await eventually(async () => {
          const pictures = await platform.picturesTo(customer);
          return pictures.length === 1 && pictures;
        }, "the agent's picture at the platform");
        assert.deepEqual(received, agents);
      });
    });
  }

  test('after every case on every platform, the debug logs hold no name, text, customer id or credential', () => {
    const logs = harness.logLines.join('');
    assert.ok(logs.length > 0);
    const credentials = platforms.flatMap((row) => row(standIns).secrets);
    for (const value of [...personal, 'Hi, how can I help?', ...credentials]) assert.ok(!logs.includes(value), `logs must not contain ${value}`);
  });
});
