import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startHarness, type Harness } from '@custom-channels/test-kit/harness';
import { activeConversationSid } from '@custom-channels/test-kit/flex-checks';
import { lineUserId } from '@custom-channels/test-kit/messengers/line-standin';
import { LINE_TEST, startMessengerStandIns, TELEGRAM_TEST } from '@custom-channels/test-kit/messengers/messenger-channels';
import { eventually } from '@custom-channels/test-kit/poll';

type Results = { results: Array<{ status: string }> };

interface PostedMessage {
  body: string | null;
  media: Array<{ sid: string; content_type: string; filename: string | null; size: number }> | null;
  attributes: Record<string, unknown>;
}

async function messagesOf(harness: Harness, sid: string): Promise<PostedMessage[]> {
  const messages = await harness.admin.conversations.v1.conversations(sid).messages.list({ order: 'asc' });
  return messages.map((m) => ({ body: m.body, media: m.media as PostedMessage['media'], attributes: JSON.parse(m.attributes) as Record<string, unknown> }));
}

/** The bytes of a file in the Twilio stand-in's Media Content Service. */
async function mcsBytes(harness: Harness, conversationSid: string, mediaSid: string): Promise<Buffer> {
  const { chatServiceSid } = await harness.admin.conversations.v1.conversations(conversationSid).fetch();
  const auth = Buffer.from(`${harness.sandbox.accountSid}:${harness.sandbox.authToken}`).toString('base64');
  const response = await fetch(`${harness.sandbox.url}/mcs/v1/Services/${chatServiceSid}/Media/${mediaSid}/Content`, {
    headers: { authorization: `Basic ${auth}` },
  });
  return Buffer.from(await response.arrayBuffer());
}

describe('messenger attachments, through the middleware, the Twilio stand-in (MCS) and the platform stand-ins', async () => {
  const messengers = await startMessengerStandIns();
  const harness = await startHarness({ routing: 'interactions', env: { ...messengers.env, LOG_LEVEL: 'debug' } });
  after(async () => {
    await harness.stop();
    await messengers.close();
  });
  const { telegram, line } = messengers;
  const telegramUrl = `${harness.middleware.url}/channels/telegram/${TELEGRAM_TEST.channelType}`;
  const lineUrl = `${harness.middleware.url}/channels/line/${LINE_TEST.channelType}`;

  test('Telegram: a photo with a caption is the caption, then the largest size as a file in MCS; a redelivery adds nothing', async () => {
    const user = { id: 5551001, first_name: 'Pia' };
    const bytes = randomBytes(200_000);
    const update = telegram.photoUpdate(user, bytes, 'the broken part');
    const answer = await telegram.deliver(update, { url: telegramUrl, secretToken: TELEGRAM_TEST.secret });
    assert.equal(answer.status, 200);
    assert.equal((answer.body as Results).results[0]!.status, 'accepted');
    const sid = await activeConversationSid(harness, String(user.id), TELEGRAM_TEST.channelType);
    const [caption, photo] = await eventually(async () => {
      const list = await messagesOf(harness, sid);
      return list.length === 2 && list;
    }, 'the caption and the photo');
    assert.equal(caption!.body, 'the broken part');
    assert.equal(photo!.media?.[0]?.content_type, 'image/jpeg');
    assert.equal(photo!.media?.[0]?.size, bytes.length);
    assert.deepEqual(await mcsBytes(harness, sid, photo!.media![0]!.sid), bytes, 'the largest size, not the thumbnail');

    const again = await telegram.deliver(update, { url: telegramUrl, secretToken: TELEGRAM_TEST.secret });
    assert.equal((again.body as Results).results[0]!.status, 'duplicate');
    const document = telegram.documentUpdate(user, { bytes: randomBytes(3000), file_name: 'invoice.pdf', mime_type: 'application/pdf' });
    assert.equal((await telegram.deliver(document, { url: telegramUrl, secretToken: TELEGRAM_TEST.secret })).status, 200);
    const all = await eventually(async () => {
      const list = await messagesOf(harness, sid);
      return list.length >= 3 && list;
    }, 'the file');
    assert.equal(all.length, 3, 'the redelivered photo was not posted again');
    assert.deepEqual([all[2]!.media?.[0]?.content_type, all[2]!.media?.[0]?.filename], ['application/pdf', 'invoice.pdf']);
  });

  test('Telegram: a file Telegram no longer has is a dead letter whose reason holds no token', async () => {
    const user = { id: 5551002, first_name: 'Quin' };
    const update = telegram.photoUpdate(user, randomBytes(100));
    const gone = { ...update, message: { ...update.message, photo: update.message.photo.map((size) => ({ ...size, file_id: 'AgACgone' })) } };
    assert.equal((await telegram.deliver(gone, { url: telegramUrl, secretToken: TELEGRAM_TEST.secret })).status, 200);
    const [letter] = await eventually(async () => {
      const letters = (await harness.middleware.store.listDeadLetters({ queue: 'to-flex' })).filter((entry) => entry.reason.includes('getFile'));
      return letters.length > 0 && letters;
    }, 'the dead letter');
    assert.match(letter!.reason, /Telegram getFile answered 400/);
    assert.ok(!letter!.reason.includes(TELEGRAM_TEST.token));
  });

  test('LINE: an image is fetched from the content endpoint with the access token and posted as a file in MCS', async () => {
    const user = { userId: lineUserId(), displayName: 'Rin' };
    const bytes = randomBytes(120_000);
    const callback = line.imageCallback(user, bytes);
    const answer = await line.deliver(callback, { url: lineUrl });
    assert.equal(answer.status, 200);
    assert.equal((answer.body as Results).results[0]!.status, 'accepted');
    const sid = await activeConversationSid(harness, user.userId, LINE_TEST.channelType);
    const [image] = await eventually(async () => {
      const list = await messagesOf(harness, sid);
      return list.length === 1 && list[0]!.media !== null && list;
    }, 'the image');
    assert.equal(image!.media?.[0]?.content_type, 'image/jpeg');
    assert.deepEqual(await mcsBytes(harness, sid, image!.media![0]!.sid), bytes);
    assert.equal(((await line.deliver(line.redelivery(callback), { url: lineUrl })).body as Results).results[0]!.status, 'duplicate');
  });

  test('LINE: a file the channel does not take stays a placeholder saying so', async () => {
    const user = { userId: lineUserId(), displayName: 'Sol' };
    const [event] = line.textCallback(user, 'unused').events;
    const callback = { destination: 'x', events: [{ ...event!, message: { type: 'file', id: '77', fileName: 'song.mp3', fileSize: 4000 } }] };
    assert.equal((await line.deliver(callback, { url: lineUrl })).status, 200);
    const sid = await activeConversationSid(harness, user.userId, LINE_TEST.channelType);
    const [message] = await eventually(async () => {
      const list = await messagesOf(harness, sid);
      return list.length === 1 && list;
    }, 'the placeholder');
    assert.equal(message!.body, '[file: song.mp3, not taken by this channel]');
    assert.equal(message!.media, null);
  });

  test('after every case above, the debug logs hold neither platform credential nor a file URL', () => {
    const logs = harness.logLines.join('');
    assert.ok(logs.length > 0);
    for (const secret of [TELEGRAM_TEST.token, LINE_TEST.accessToken, '/file/bot', 'the broken part'])
      assert.ok(!logs.includes(secret), `logs must not contain ${secret}`);
  });
});
