import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startHarness } from '@custom-channels/test-kit/harness';
import { activeConversationSid, mcsBytes, messagesWithMedia, taskFor } from '@custom-channels/test-kit/flex-checks';
import { lineUserId } from '@custom-channels/test-kit/messengers/line-standin';
import { LINE_TEST, startMessengerStandIns, TELEGRAM_TEST } from '@custom-channels/test-kit/messengers/messenger-channels';
import { eventually } from '@custom-channels/test-kit/poll';
import { createLineAdapter } from '../../src/messengers/line/line-adapter.js';
import { createLineClients } from '../../src/messengers/line/line-clients.js';

type Results = { results: Array<{ status: string }> };

describe('messenger attachments, through the middleware, the Twilio stand-in (MCS) and the platform stand-ins', async () => {
  const messengers = await startMessengerStandIns();
  const harness = await startHarness({ routing: 'interactions', env: { ...messengers.env, LOG_LEVEL: 'debug' } });
  const fetchLink = async (url: string) => Buffer.from(await (await fetch(url)).arrayBuffer());
  const acceptedTask = async (customerId: string, channelType: string) => {
    const task = await taskFor(harness, await activeConversationSid(harness, customerId, channelType));
    await harness.control.accept(task.sid);
    return task;
  };
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
      const list = await messagesWithMedia(harness, sid);
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
      const list = await messagesWithMedia(harness, sid);
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
      const list = await messagesWithMedia(harness, sid);
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
      const list = await messagesWithMedia(harness, sid);
      return list.length === 1 && list;
    }, 'the placeholder');
    assert.equal(message!.body, '[file: song.mp3, not taken by this channel]');
    assert.equal(message!.media, null);
  });

  test('Telegram: an agent photo goes by sendPhoto and a PDF by sendDocument, which Telegram fetches from the signed link', async () => {
    const user = { id: 5551003, first_name: 'Tam' };
    assert.equal((await telegram.deliver(telegram.textUpdate(user, 'send me the label'), { url: telegramUrl, secretToken: TELEGRAM_TEST.secret })).status, 200);
    const task = await acceptedTask(String(user.id), TELEGRAM_TEST.channelType);
    const photo = randomBytes(50_000);
    const pdf = randomBytes(20_000);
    await harness.control.attach(task.sid, { bytes: photo, contentType: 'image/png', filename: 'label.png' });
    await harness.control.attach(task.sid, { bytes: pdf, contentType: 'application/pdf', filename: 'label.pdf' });
    const sent = await eventually(() => {
      const list = telegram.sent.filter((message) => message.chat_id === String(user.id));
      return list.length === 2 && list;
    }, 'both files at Telegram');
    assert.ok(sent[0]!.photo?.startsWith(`${harness.config.publicBaseUrl}/media/`), 'the middleware link');
    assert.deepEqual(sent[0]!.bytes, photo, 'Telegram fetched the photo from the link');
    assert.deepEqual(sent[1]!.bytes, pdf);
    assert.ok(sent[1]!.document?.startsWith(`${harness.config.publicBaseUrl}/media/`));
  });

  test('LINE: an agent photo on an http address (this test) cannot be an image message, which LINE takes on https only: it is a text with the link', async () => {
    const user = { userId: lineUserId(), displayName: 'Uma' };
    assert.equal((await line.deliver(line.textCallback(user, 'the label please'), { url: lineUrl })).status, 200);
    const task = await acceptedTask(user.userId, LINE_TEST.channelType);
    const photo = randomBytes(60_000);
    await harness.control.attach(task.sid, { bytes: photo, contentType: 'image/jpeg', filename: 'label.jpg' });
    const [link] = await eventually(() => {
      const list = line.pushed.filter((message) => message.to === user.userId);
      return list.length === 1 && list;
    }, 'the link at LINE');
    assert.match(link!.text, /^label\.jpg /);
    assert.deepEqual(await fetchLink(/http:\/\/\S+/.exec(link!.text)?.[0] ?? ''), photo);
  });

  test('LINE: an agent JPEG on the https address is an image message (the adapter and the SDK against the LINE stand-in); a PDF is a text with the link', async () => {
    const user = { userId: lineUserId(), displayName: 'Vic' };
    line.textCallback(user, 'known to the account');
    const adapter = createLineAdapter(createLineClients());
    const channel = harness.config.channels.find((entry) => entry.channelType === LINE_TEST.channelType)!;
    const url = 'https://support.example.test/media/IS0/ME0?expires=1&signature=x';
    const file = (contentType: string, filename: string) => ({ url, contentType, filename, size: 60_000 });
    const event = { type: 'message' as const, id: 'IMtest1', conversationSid: 'CH0', to: { id: user.userId }, author: 'agent', text: 'here it is' };
    assert.deepEqual(await adapter.deliver(channel, { ...event, media: [file('image/jpeg', 'label.jpg')] }), { ok: true });
    assert.deepEqual(await adapter.deliver(channel, { ...event, id: 'IMtest2', text: '', media: [file('application/pdf', 'label.pdf')] }), { ok: true });
    const pushed = line.pushed.filter((message) => message.to === user.userId);
    assert.deepEqual(
      pushed.map((message) => [message.text, message.image]),
      [
        ['here it is', undefined],
        ['', { originalContentUrl: url, previewImageUrl: url }],
        [`label.pdf (link valid for a limited time): ${url}`, undefined],
      ],
    );
  });

  test('after every case above, the debug logs hold neither platform credential nor a file URL', () => {
    const logs = harness.logLines.join('');
    assert.ok(logs.length > 0);
    for (const secret of [TELEGRAM_TEST.token, LINE_TEST.accessToken, '/file/bot', 'the broken part'])
      assert.ok(!logs.includes(secret), `logs must not contain ${secret}`);
  });
});
