import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startHarness } from '@custom-channels/test-kit/harness';
import { activeConversationSid, mcsBytes, messagesWithMedia } from '@custom-channels/test-kit/flex-checks';
import { INSTAGRAM_TEST, startMessengerStandIns, TELEGRAM_TEST, VIBER_TEST } from '@custom-channels/test-kit/messengers/messenger-channels';
import { viberUserId } from '@custom-channels/test-kit/messengers/viber-standin';
import { eventually } from '@custom-channels/test-kit/poll';

describe("the customer's stickers reach Flex as images, through the middleware, the Twilio stand-in (MCS) and the platform stand-ins", async () => {
  const messengers = await startMessengerStandIns();
  const harness = await startHarness({ routing: 'interactions', env: messengers.env });
  after(async () => {
    await harness.stop();
    await messengers.close();
  });
  const { telegram, instagram, viber } = messengers;
  const telegramUrl = `${harness.middleware.url}/channels/telegram/${TELEGRAM_TEST.channelType}`;
  const instagramUrl = `${harness.middleware.url}/channels/instagram/${INSTAGRAM_TEST.channelType}`;
  const viberUrl = `${harness.middleware.url}/channels/viber/${VIBER_TEST.channelType}`;
  const deliverTelegram = (update: unknown) => telegram.deliver(update, { url: telegramUrl, secretToken: TELEGRAM_TEST.secret });
  const conversationOf = async (customerId: string, channelType: string, count: number) => {
    const sid = await activeConversationSid(harness, customerId, channelType);
    const messages = await eventually(async () => {
      const list = await messagesWithMedia(harness, sid);
      return list.length >= count && list;
    }, `${count} messages`);
    return { sid, messages };
  };

  test('Telegram: a static sticker is its emoji as text, then the WebP itself (not its thumbnail) as an image in MCS', async () => {
    const user = { id: 5552001, first_name: 'Ada' };
    const bytes = randomBytes(30_000);
    const answer = await deliverTelegram(telegram.stickerUpdate(user, { bytes, emoji: '😀', setName: 'HappyFaces' }));
    assert.equal(answer.status, 200);
    const { sid, messages } = await conversationOf(String(user.id), TELEGRAM_TEST.channelType, 2);
    const [text, image] = messages;
    assert.equal(text!.body, '[sticker 😀]');
    assert.deepEqual(text!.attributes.sticker, { emoji: '😀', setName: 'HappyFaces' });
    assert.equal(image!.media?.[0]?.content_type, 'image/webp');
    assert.deepEqual(image!.attributes.sticker, { emoji: '😀', setName: 'HappyFaces' });
    assert.deepEqual(await mcsBytes(harness, sid, image!.media![0]!.sid), bytes, 'the sticker, not its thumbnail');
  });

  test('Telegram: an animated sticker is shown by its thumbnail; a video sticker without one stays text', async () => {
    const user = { id: 5552002, first_name: 'Bea' };
    const thumbnail = randomBytes(4_000);
    assert.equal((await deliverTelegram(telegram.stickerUpdate(user, { bytes: randomBytes(9_000), emoji: '🎉', format: 'animated', thumbnail }))).status, 200);
    assert.equal((await deliverTelegram(telegram.stickerUpdate(user, { bytes: randomBytes(9_000), emoji: '🙈', format: 'video' }))).status, 200);
    const { sid, messages } = await conversationOf(String(user.id), TELEGRAM_TEST.channelType, 3);
    assert.deepEqual(
      messages.map((message) => [message.body, message.media?.[0]?.content_type ?? null]),
      [
        ['[sticker 🎉]', null],
        [null, 'image/webp'],
        ['[sticker 🙈]', null],
      ],
    );
    assert.deepEqual(await mcsBytes(harness, sid, messages[1]!.media![0]!.sid), thumbnail);
  });

  test('Telegram: a sticker whose file cannot be fetched still reaches the agent as its text', async () => {
    const user = { id: 5552003, first_name: 'Cal' };
    const update = telegram.stickerUpdate(user, { bytes: randomBytes(2_000), emoji: '👍' });
    const gone = { ...update, message: { ...update.message, sticker: { ...update.message.sticker, file_id: 'AgACgone' } } };
    assert.equal((await deliverTelegram(gone)).status, 200);
    const { sid, messages } = await conversationOf(String(user.id), TELEGRAM_TEST.channelType, 1);
    assert.equal(messages[0]!.body, '[sticker 👍]');
    await eventually(async () => {
      const letters = await harness.middleware.store.listDeadLetters({ queue: 'to-flex' });
      return letters.some((letter) => letter.reason.includes('getFile'));
    }, 'the image, a dead letter');
    assert.equal((await messagesWithMedia(harness, sid)).length, 1, 'the text only: the image is a dead letter, for the operator to see');
  });

  test("Instagram: a sticker with an image URL is its text, then the image from Meta's CDN; given in both of Meta's forms it comes once; without a URL it is text", async () => {
    const user = instagram.newUser('Dee');
    const bytes = randomBytes(12_000);
    const events = [
      instagram.stickerEvent(user, { form: 'both', bytes, stickerId: 369239263222822 }),
      instagram.stickerEvent(user, { form: 'like_heart' }),
      instagram.stickerEvent(user, { form: 'sticker', stickerId: 126362187548578 }),
      instagram.unsupportedEvent(user),
    ];
    for (const event of events) assert.equal((await instagram.deliver(instagram.callback(event), { url: instagramUrl })).status, 200);
    const { sid, messages } = await conversationOf(user.id, INSTAGRAM_TEST.channelType, 5);
    assert.deepEqual(
      messages.map((message) => [message.body, message.media?.[0]?.content_type ?? null, message.attributes.sticker ?? null]),
      [
        ['[sticker]', null, { type: 'sticker', stickerId: '369239263222822' }],
        [null, 'image/png', { type: 'sticker', stickerId: '369239263222822' }],
        ['[sticker ❤️]', null, { type: 'like_heart' }],
        ['[sticker]', null, { type: 'sticker', stickerId: '126362187548578' }],
        ['[a GIF, sticker or other content Instagram does not pass on]', null, null],
      ],
    );
    assert.deepEqual(await mcsBytes(harness, sid, messages[1]!.media![0]!.sid), bytes);
  });

  test('Viber: a sticker stays text, as Viber documents no image for it, with its sticker_id in the attributes', async () => {
    const user = { id: viberUserId(), name: 'Eli' };
    const answer = await viber.deliver(viber.messageCallback(user, { type: 'sticker', sticker_id: 46105 }), { url: viberUrl });
    assert.equal(answer.status, 200);
    const { messages } = await conversationOf(user.id, VIBER_TEST.channelType, 1);
    assert.equal(messages[0]!.body, '[sticker]');
    assert.deepEqual(messages[0]!.attributes.sticker, { stickerId: '46105' });
  });
});
