import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { startHarness } from '@custom-channels/test-kit/harness';
import { activeConversationSid, conversationMessages, taskFor } from '@custom-channels/test-kit/flex-checks';
import { startMessengerStandIns, VIBER_TEST } from '@custom-channels/test-kit/messengers/messenger-channels';
import { viberUserId, type ViberTestUser } from '@custom-channels/test-kit/messengers/viber-standin';
import { eventually } from '@custom-channels/test-kit/poll';
import { parseViberJson } from '../../src/messengers/viber/viber-api.js';
import { viberSignatureMatches } from '../../src/messengers/viber/viber-signature.js';

type Results = { results: Array<{ status: string; id?: string; reason?: string }> };

test("Viber's 64-bit message tokens keep every digit; other numbers and string values are left alone", () => {
  const raw = '{"message_token":5123456789012345679,"timestamp":1457764197627,"message":{"text":"\\"message_token\\":1"}}';
  assert.deepEqual(parseViberJson(raw), { message_token: '5123456789012345679', timestamp: 1457764197627, message: { text: '"message_token":1' } });
});

test('X-Viber-Content-Signature: only the lowercase hex HMAC-SHA256 of these exact bytes under the auth token', () => {
  const body = Buffer.from('{"event":"message"}');
  const right = createHmac('sha256', VIBER_TEST.authToken).update(body).digest('hex');
  assert.equal(viberSignatureMatches(body, VIBER_TEST.authToken, right), true);
  for (const forged of [
    right.toUpperCase(),
    right.slice(0, 63),
    `${right}0`,
    createHmac('sha256', 'another-token').update(body).digest('hex'),
    createHmac('sha256', VIBER_TEST.authToken).update(body).digest('base64'),
    '',
  ]) {
    assert.equal(viberSignatureMatches(body, VIBER_TEST.authToken, forged), false, forged);
  }
  assert.equal(viberSignatureMatches(Buffer.from('{"event":"message" }'), VIBER_TEST.authToken, right), false, 'another body under a captured signature');
});

describe('a Viber channel, through the middleware, the Twilio stand-in and the REST bot API stand-in', async () => {
  const messengers = await startMessengerStandIns();
  const harness = await startHarness({ routing: 'interactions', env: { ...messengers.env, LOG_LEVEL: 'debug' } });
  after(async () => {
    await harness.stop();
    await messengers.close();
  });
  const { viber } = messengers;
  const url = `${harness.middleware.url}/channels/viber/${VIBER_TEST.channelType}`;
  const deliver = (raw: string, signature?: string | null) => viber.deliver(raw, { url, signature });
  const sentTo = (user: ViberTestUser) => viber.sent.filter((message) => message.receiver === user.id);
  const newUser = (name: string): ViberTestUser => ({ id: viberUserId(), name });
  const statusOf = async (raw: string) => {
    const answer = await deliver(raw);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return (answer.body as Results).results[0]!;
  };
  const acceptedTask = async (user: ViberTestUser) => {
    const conversationSid = await activeConversationSid(harness, user.id, VIBER_TEST.channelType);
    const task = await taskFor(harness, conversationSid);
    await harness.control.accept(task.sid);
    return { task, conversationSid };
  };
  const bodies = async (conversationSid: string, count: number) =>
    eventually(async () => {
      const messages = await conversationMessages(harness, conversationSid);
      return messages.length >= count && messages.map((message) => message.body);
    }, `${count} messages`);

  test('every callback type is answered 200: webhook, subscribed, conversation_started and delivered carry nothing for the agent (a subscription is noted)', async () => {
    const user = newUser('Ida');
    const base = { timestamp: Date.now(), chat_hostname: 'SN-CHAT-01_' };
    const raws = [
      JSON.stringify({ event: 'webhook', ...base, message_token: 1 }),
      JSON.stringify({ event: 'subscribed', ...base, user: { id: user.id, name: user.name }, message_token: 2 }),
      JSON.stringify({
        event: 'conversation_started',
        ...base,
        message_token: 3,
        type: 'open',
        context: 'ad',
        user: { id: user.id, name: user.name },
        subscribed: false,
      }),
      viber.deliveredCallback(user, '4'),
      viber.seenCallback(user, '5'),
    ];
    const outcomes = [];
    for (const raw of raws) {
      const result = await statusOf(raw);
      outcomes.push(result.reason ?? result.status);
    }
    assert.deepEqual(outcomes, ['a webhook callback', 'noted', 'noted', 'a delivered callback', 'a seen receipt of a message this instance does not know']);
    assert.equal(await harness.middleware.store.findActiveSession(VIBER_TEST.channelType, user.id), undefined);
    const malformed = await deliver(JSON.stringify({ event: 'message', timestamp: 1, message_token: 9 }));
    assert.equal(malformed.status, 400);
    assert.equal((malformed.body as { error: { field: string } }).error.field, '/sender');
  });

  test('stickers, places, contacts, links, videos and files reach the agent readably: a place as a map link, a contact as text, a PDF as a file', async () => {
    const user = newUser('Jo');
    const pdf = randomBytes(5000);
    const raws = [
      viber.messageCallback(user, { type: 'sticker', sticker_id: 46105, media: 'https://viber.test/sticker.png' }),
      viber.messageCallback(user, { type: 'location', location: { lat: 50.76891, lon: 6.11499 } }),
      viber.messageCallback(user, { type: 'contact', contact: { name: 'Itamar', phone_number: '+972511123123' } }),
      viber.messageCallback(user, { type: 'url', media: 'https://www.example.com/offer' }),
      viber.messageCallback(user, { type: 'video', media: 'https://viber.test/v.mp4', size: 10_000, duration: 3, text: 'the noise' }),
      viber.fileCallback(user, pdf, 'invoice.pdf', 'application/pdf'),
    ];
    for (const raw of raws) assert.equal((await statusOf(raw)).status, 'accepted');
    const conversationSid = await activeConversationSid(harness, user.id, VIBER_TEST.channelType);
    const messages = await eventually(async () => {
      const list = await harness.admin.conversations.v1.conversations(conversationSid).messages.list({ order: 'asc' });
      return list.length >= 6 && list;
    }, 'six messages');
    assert.deepEqual(
      messages.slice(0, 5).map((message) => message.body),
      [
        '[sticker]',
        'Shared a location\nhttps://www.openstreetmap.org/?mlat=50.76891&mlon=6.11499#map=17/50.76891/6.11499',
        'Shared a contact: Itamar (+972511123123)',
        '[link] https://www.example.com/offer',
        '[video, not taken by this channel] the noise',
      ],
    );
    assert.deepEqual(JSON.parse(messages[1]!.attributes).location, { latitude: 50.76891, longitude: 6.11499 });
    assert.deepEqual(JSON.parse(messages[2]!.attributes).contact, { name: 'Itamar', phone: '+972511123123' });
    const file = (messages[5]!.media as Array<{ content_type: string; filename: string }>)[0]!;
    assert.deepEqual([file.content_type, file.filename], ['application/pdf', 'invoice.pdf']);
  });

  test("the customer's seen moves their read horizon to the agent's message; delivered does not", async () => {
    const user = newUser('Kai');
    assert.equal((await statusOf(viber.textCallback(user, 'hi'))).status, 'accepted');
    const { task, conversationSid } = await acceptedTask(user);
    await harness.control.reply(task.sid, 'a reply to be seen');
    const [sent] = await eventually(() => sentTo(user).length === 1 && sentTo(user), 'the reply at Viber');
    assert.equal((await statusOf(viber.deliveredCallback(user, sent!.message_token))).status, 'ignored');
    assert.equal((await statusOf(viber.seenCallback(user, sent!.message_token))).status, 'read');
    const identity = (await harness.middleware.store.findActiveSession(VIBER_TEST.channelType, user.id))!.identity;
    const reply = (await harness.admin.conversations.v1.conversations(conversationSid).messages.list()).find(
      (message) => message.body === 'a reply to be seen',
    )!;
    await eventually(
      async () => (await harness.admin.conversations.v1.conversations(conversationSid).participants(identity).fetch()).lastReadMessageIndex === reply.index,
      "the customer's horizon at the reply",
    );
  });

  test('unsubscribed and failed tell the agent, once each, that the customer can no longer be reached; a reply then is a dead letter, not a retry loop', async () => {
    const user = newUser('Lu');
    assert.equal((await statusOf(viber.textCallback(user, 'one question'))).status, 'accepted');
    const { task, conversationSid } = await acceptedTask(user);
    const unsubscribed = viber.unsubscribedCallback(user);
    assert.equal((await statusOf(unsubscribed)).status, 'noted');
    assert.equal((await statusOf(unsubscribed)).status, 'noted', 'a redelivery');
    assert.equal((await statusOf(viber.failedCallback(user, '77'))).status, 'noted');
    assert.deepEqual(await bodies(conversationSid, 3), [
      'one question',
      'The customer unsubscribed from the bot on Viber: a reply will not reach them.',
      'Viber could not deliver a message to the customer: a reply will not reach them.',
    ]);

    const callsBefore = viber.calls.length;
    await harness.control.reply(task.sid, 'are you there?');
    const [letter] = await eventually(async () => {
      const letters = (await harness.middleware.store.listDeadLetters({ queue: 'to-channel' })).filter((entry) =>
        entry.reason.includes('receiverNotSubscribed'),
      );
      return letters.length > 0 && letters;
    }, 'the dead letter');
    assert.equal(letter!.reason, 'Viber answered 6: receiverNotSubscribed (the customer unsubscribed from the bot)');
    assert.equal(viber.calls.length - callsBefore, 1, 'tried once');
    // The reply itself is refused for good: the agent is told of that message, once, besides the two events above.
    const messages = await conversationMessages(harness, conversationSid);
    assert.deepEqual(
      messages.slice(3).map((message) => [message.body, message.attributes.systemNotice]),
      [
        ['are you there?', undefined],
        [`Not delivered: ${VIBER_TEST.channelType} refused this message (${letter!.reason}). The customer did not get it.`, 'message_not_delivered'],
      ],
      'one notice of the undelivered reply, no other',
    );
  });

  test("Viber's tooManyRequests and a 503 are retried, and the reply arrives once, from the sender named in channels.json", async () => {
    const user = newUser('Mo');
    assert.equal((await statusOf(viber.textCallback(user, 'hello'))).status, 'accepted');
    const { task } = await acceptedTask(user);
    const callsBefore = viber.calls.length;
    viber.throttle(1);
    viber.failWithServerErrors(1);
    await harness.control.reply(task.sid, 'after the faults');
    await eventually(() => sentTo(user).length === 1, 'the reply after a 429-like status and a 503');
    assert.equal(viber.calls.length - callsBefore, 3, 'two refused attempts, then one that went through');
    assert.equal(sentTo(user)[0]!.text, 'after the faults');
    assert.deepEqual(sentTo(user)[0]!.sender, { name: VIBER_TEST.senderName });
  });

  test("an agent's file Viber takes goes as a file message; for one it refuses (a program) the agent gets a notice", async () => {
    const user = newUser('Ned');
    assert.equal((await statusOf(viber.textCallback(user, 'send the form'))).status, 'accepted');
    const { task, conversationSid } = await acceptedTask(user);
    const pdf = randomBytes(8000);
    await harness.control.attach(task.sid, { bytes: pdf, contentType: 'application/pdf', filename: 'form.pdf' });
    const [file] = await eventually(() => sentTo(user).length === 1 && sentTo(user), 'the file at Viber');
    assert.deepEqual([file!.type, file!.file_name, file!.bytes], ['file', 'form.pdf', pdf]);
    // The channel takes PDFs; Viber refuses any file named as a program or script: the agent is told, nothing is sent.
    await harness.control.attach(task.sid, { bytes: pdf, contentType: 'application/pdf', filename: 'form.bat' });
    const notice = await eventually(async () => {
      const messages = await conversationMessages(harness, conversationSid);
      return messages.find((message) => message.body?.startsWith('Not delivered'));
    }, 'the notice to the agent');
    assert.equal(notice.body, 'Not delivered: form.bat: Viber does not send programs or scripts (.bat files). Send it in another format.');
    assert.equal(sentTo(user).length, 1, 'nothing more was sent');
  });

  test('after every case above, the debug logs hold no name, text, user id or the auth token', () => {
    const logs = harness.logLines.join('');
    assert.ok(logs.length > 0);
    for (const value of ['Itamar', '+972511123123', 'one question', 'after the faults', 'are you there?', VIBER_TEST.authToken]) {
      assert.ok(!logs.includes(value), `logs must not contain ${value}`);
    }
  });
});
