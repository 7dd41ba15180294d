import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness } from '@custom-channels/test-kit/harness';
import { activeConversationSid, conversationMessages, taskFor } from '@custom-channels/test-kit/flex-checks';
import { ENDED_TEXT, startMessengerStandIns, TELEGRAM_TEST } from '@custom-channels/test-kit/messengers/messenger-channels';
import type { SentTelegramMessage } from '@custom-channels/test-kit/messengers/telegram-standin';
import { eventually } from '@custom-channels/test-kit/poll';

describe('a Telegram channel, through the middleware, the Twilio stand-in and the Bot API stand-in', async () => {
  const messengers = await startMessengerStandIns();
  const harness = await startHarness({ routing: 'interactions', env: messengers.env });
  after(async () => {
    await harness.stop();
    await messengers.close();
  });
  const { telegram } = messengers;
  const url = () => `${harness.middleware.url}/channels/telegram/${TELEGRAM_TEST.channelType}`;
  const deliver = (update: unknown, secretToken: string | null = TELEGRAM_TEST.secret) => telegram.deliver(update, { url: url(), secretToken });
  const sentTo = (chatId: number) => telegram.sent.filter((message) => message.chat_id === String(chatId));

  test('the whole loop: a user writes, Flex gets a task, the agent replies and ends the chat', async () => {
    const user = { id: 5550001, first_name: 'Ann', last_name: 'Example', username: 'ann_example' };
    const update = telegram.textUpdate(user, 'Hello from Telegram');
    const answer = await deliver(update);
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, { results: [{ status: 'accepted', id: `${user.id}:${update.message.message_id}` }] });

    const conversationSid = await activeConversationSid(harness, String(user.id), TELEGRAM_TEST.channelType);
    const task = await taskFor(harness, conversationSid);
    assert.equal(task.attributes.channelType, TELEGRAM_TEST.channelType);
    assert.equal(task.attributes.customChannelType, TELEGRAM_TEST.channelType);
    assert.equal(task.attributes.name, 'Ann Example');
    const [message] = await eventually(async () => {
      const messages = await conversationMessages(harness, conversationSid);
      return messages.length === 1 && messages;
    }, 'the message in the conversation');
    assert.equal(message!.body, 'Hello from Telegram');
    assert.doesNotMatch(message!.author ?? '', /5550001/, 'the Telegram user id stays out of Twilio identities');

    await harness.control.accept(task.sid);
    await harness.control.reply(task.sid, 'Hi Ann, how can I help?');
    await eventually(() => sentTo(user.id).length === 1, 'the agent reply at Telegram');
    assert.equal(sentTo(user.id)[0]!.text, 'Hi Ann, how can I help?');

    await harness.control.complete(task.sid);
    await eventually(() => sentTo(user.id).length === 2, 'the end of the chat at Telegram');
    assert.equal(sentTo(user.id)[1]!.text, ENDED_TEXT);
    const logs = harness.logLines.join('');
    for (const personal of ['Ann Example', 'Hello from Telegram', TELEGRAM_TEST.token, TELEGRAM_TEST.secret])
      assert.ok(!logs.includes(personal), `logs must not contain ${personal}`);
  });

  test('a request without the secret token, or with another, is refused and nothing reaches Twilio', async () => {
    const update = telegram.textUpdate({ id: 5550002, first_name: 'Mallory' }, 'forged');
    const before = harness.twilioRequests.length;
    for (const secretToken of [null, 'not-the-secret-token', `${TELEGRAM_TEST.secret}x`]) {
      const answer = await deliver(update, secretToken);
      assert.equal(answer.status, 401);
      assert.equal((answer.body as { error: { code: string } }).error.code, 'invalid_signature');
    }
    const wrongChannel = await telegram.deliver(update, { url: `${harness.middleware.url}/channels/telegram/chatapp`, secretToken: TELEGRAM_TEST.secret });
    assert.equal(wrongChannel.status, 404);
    const asGenericInbound = await harness.send({ id: 'x', from: { id: '1' }, text: 'x' }, { channelType: TELEGRAM_TEST.channelType });
    assert.equal(asGenericInbound.status, 404, 'a Telegram channel does not take the generic signed protocol');
    assert.equal(harness.twilioRequests.length, before);
    assert.equal(await harness.middleware.store.findActiveSession(TELEGRAM_TEST.channelType, '5550002'), undefined);
  });

  test('a redelivered update gives one message', async () => {
    const user = { id: 5550003, first_name: 'Bo' };
    const update = telegram.textUpdate(user, 'only once');
    assert.equal((await deliver(update)).status, 200);
    const again = await deliver(update);
    assert.equal(again.status, 200);
    assert.equal((again.body as { results: Array<{ status: string }> }).results[0]!.status, 'duplicate');
    const conversationSid = await activeConversationSid(harness, String(user.id), TELEGRAM_TEST.channelType);
    assert.equal((await deliver(telegram.textUpdate(user, 'second'))).status, 200);
    const messages = await eventually(async () => {
      const all = await conversationMessages(harness, conversationSid);
      return all.length >= 2 && all;
    }, 'both messages');
    assert.deepEqual(
      messages.map((message) => message.body),
      ['only once', 'second'],
    );
  });

  test('stickers and videos the channel does not take reach the agent as readable placeholders; group chats and unknown updates are answered and dropped', async () => {
    const user = { id: 5550004, first_name: 'Cy' };
    const base = telegram.textUpdate(user, 'unused');
    const { text: _text, ...withoutText } = base.message;
    const sticker = {
      update_id: base.update_id,
      message: {
        ...withoutText,
        sticker: { emoji: '👍', file_id: 'f', file_unique_id: 'u', type: 'regular', width: 512, height: 512, is_animated: false, is_video: false },
      },
    };
    const video = {
      update_id: base.update_id + 1000,
      message: {
        ...withoutText,
        message_id: base.message.message_id + 1000,
        video: { file_id: 'v', file_unique_id: 'q', width: 90, height: 90, duration: 3, mime_type: 'video/mp4' },
        caption: 'my receipt',
      },
    };
    for (const update of [sticker, video]) assert.equal((await deliver(update)).status, 200);
    const conversationSid = await activeConversationSid(harness, String(user.id), TELEGRAM_TEST.channelType);
    const messages = await eventually(async () => {
      const all = await conversationMessages(harness, conversationSid);
      return all.length >= 2 && all;
    }, 'the placeholders');
    assert.deepEqual(
      messages.map((message) => message.body),
      ['[sticker 👍]', '[video, not taken by this channel] my receipt'],
    );

    const group = { update_id: base.update_id + 2000, message: { ...base.message, chat: { id: -100123, type: 'supergroup', title: 'A group' } } };
    const poll = { update_id: base.update_id + 3000, my_chat_member: { chat: { id: user.id, type: 'private' } } };
    for (const update of [group, poll]) {
      const answer = await deliver(update);
      assert.equal(answer.status, 200);
      assert.equal((answer.body as { results: Array<{ status: string }> }).results[0]!.status, 'ignored');
    }
    const malformed = await deliver({ message: { text: 'no update id' } });
    assert.equal(malformed.status, 400);
    assert.equal((malformed.body as { error: { field: string } }).error.field, '/update_id');
  });

  test('a user who blocked the bot: the reply is a dead letter at once, not a retry loop', async () => {
    const user = { id: 5550006, first_name: 'Ev' };
    assert.equal((await deliver(telegram.textUpdate(user, 'bye'))).status, 200);
    const task = await taskFor(harness, await activeConversationSid(harness, String(user.id), TELEGRAM_TEST.channelType));
    await harness.control.accept(task.sid);
    telegram.blockedBy(user);
    const sendsBefore = telegram.sendAttempts.length;
    await harness.control.reply(task.sid, 'are you there?');
    const [deadLetter] = await eventually(async () => {
      const letters = (await harness.middleware.store.listDeadLetters({ queue: 'to-channel' })).filter((letter) => letter.reason.includes('blocked'));
      return letters.length > 0 && letters;
    }, 'the dead letter');
    assert.equal(deadLetter!.reason, 'Telegram answered 403: Forbidden: bot was blocked by the user');
    assert.equal(telegram.sendAttempts.length - sendsBefore, 1, 'tried once');
  });

  test("Telegram's 429 is retried, and the reply arrives once", async () => {
    const user = { id: 5550005, first_name: 'Di' };
    assert.equal((await deliver(telegram.textUpdate(user, 'hi'))).status, 200);
    const conversationSid = await activeConversationSid(harness, String(user.id), TELEGRAM_TEST.channelType);
    const task = await taskFor(harness, conversationSid);
    await harness.control.accept(task.sid);
    const callsBefore = telegram.calls.length;
    telegram.throttle(2, 0);
    await harness.control.reply(task.sid, 'after the rate limit');
    await eventually(() => sentTo(user.id).length === 1, 'the reply after two 429s');
    assert.equal(telegram.calls.length - callsBefore, 3, 'two refused attempts, then one that went through');
    assert.equal(sentTo(user.id)[0]!.text, 'after the rate limit');
  });

  test('every tap on a button is answered to Telegram exactly once: accepted, redelivered, or refused', async () => {
    const user = { id: 5550010, first_name: 'Cy' };
    telegram.knows(user);
    const question: SentTelegramMessage = {
      chat_id: String(user.id),
      text: 'Was this helpful?',
      message_id: 990001,
      reply_markup: { inline_keyboard: [[{ text: 'Yes', callback_data: 'helpful_yes' }]] },
    };
    const tap = telegram.callbackQueryUpdate(user, question, 'Yes');
    assert.equal((await deliver(tap)).status, 200);
    const again = await deliver(tap);
    assert.equal((again.body as { results: Array<{ status: string }> }).results[0]!.status, 'duplicate');

    const inGroup = telegram.callbackQueryUpdate(user, question, 'Yes');
    inGroup.callback_query.message.chat.type = 'group';
    const { data: _data, ...withoutData } = telegram.callbackQueryUpdate(user, question, 'Yes').callback_query;
    const noData = { update_id: inGroup.update_id + 1, callback_query: withoutData };
    for (const refused of [inGroup, noData]) {
      const answer = await deliver(refused);
      assert.equal((answer.body as { results: Array<{ status: string }> }).results[0]!.status, 'ignored');
    }

    const queryIds = [tap, inGroup, noData].map((update) => update.callback_query.id);
    await eventually(() => queryIds.every((id) => telegram.answeredQueries.includes(id)), 'every query answered');
    assert.equal(telegram.calls.filter((method) => method === 'answerCallbackQuery').length, queryIds.length, 'one answerCallbackQuery per tap');
  });

  test('after every case above, the debug logs hold no name, text, user id or credential', () => {
    const logs = harness.logLines.join('');
    assert.ok(logs.length > 0);
    for (const value of ['Ann Example', 'Hello from Telegram', 'Hi Ann, how can I help?', '5550001', TELEGRAM_TEST.token, TELEGRAM_TEST.secret]) {
      assert.ok(!logs.includes(value), `logs must not contain ${value}`);
    }
  });
});
