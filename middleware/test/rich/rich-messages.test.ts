/**
 * Rich messages both ways, through the middleware, the Twilio stand-in (Content API,
 * Conversations) and the platform stand-ins: every Content type a bot posts reaches every
 * channel in the form that channel shows, and every tap or share of the customer reaches Flex
 * with its structured value in the message attributes.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { startHarness } from '@custom-channels/test-kit/harness';
import { activeConversationSid, conversationMessages } from '@custom-channels/test-kit/flex-checks';
import { lineUserId, type PushedLineMessage } from '@custom-channels/test-kit/messengers/line-standin';
import type { SentInstagramMessage } from '@custom-channels/test-kit/messengers/instagram-standin';
import { INSTAGRAM_TEST, LINE_TEST, startMessengerStandIns, TELEGRAM_TEST, VIBER_TEST } from '@custom-channels/test-kit/messengers/messenger-channels';
import { type SentViberMessage, type ViberTestButton, viberUserId } from '@custom-channels/test-kit/messengers/viber-standin';
import type { SentTelegramMessage } from '@custom-channels/test-kit/messengers/telegram-standin';
import { eventually } from '@custom-channels/test-kit/poll';
import { WebchatClient } from '@custom-channels/test-kit/webchat-client';
import type { RichType } from '../../src/rich/rich-content.js';

/** One template per Content type, with a `{{1}}` filled from the message's attributes. */
const TEMPLATES: Record<RichType, Record<string, unknown>> = {
  text: { 'twilio/text': { body: 'Hello {{1}}' } },
  media: { 'twilio/media': { body: 'Your invoice, {{1}}', media: ['https://files.example.com/invoice.pdf'] } },
  'quick-reply': {
    'twilio/quick-reply': {
      body: 'Was this helpful, {{1}}?',
      actions: [
        { title: 'Yes', id: 'helpful_yes' },
        { title: 'No', id: 'helpful_no' },
      ],
    },
    'twilio/text': { body: 'Was this helpful? Yes / No' },
  },
  'list-picker': {
    'twilio/list-picker': {
      body: 'Pick a topic, {{1}}',
      button: 'Topics',
      items: [
        { id: 'billing', item: 'Billing', description: 'Invoices and payments' },
        { id: 'delivery', item: 'Delivery' },
        { id: 'returns', item: 'Returns' },
      ],
    },
  },
  'call-to-action': {
    'twilio/call-to-action': {
      body: 'Track your parcel, {{1}}',
      actions: [
        { type: 'URL', title: 'Track', url: 'https://track.example.com/p/1' },
        { type: 'PHONE_NUMBER', title: 'Call us', phone: '+15005550006' },
      ],
    },
  },
  card: {
    'twilio/card': {
      title: 'Delivery slot for {{1}}',
      subtitle: 'Choose one',
      actions: [
        { type: 'QUICK_REPLY', title: 'Morning', id: 'slot_am' },
        { type: 'QUICK_REPLY', title: 'Afternoon', id: 'slot_pm' },
        { type: 'URL', title: 'All slots', url: 'https://slots.example.com' },
      ],
    },
  },
  location: { 'twilio/location': { latitude: 52.52, longitude: 13.405, label: 'Our shop, {{1}}', address: 'Alexanderplatz 1' } },
};
const TYPES = Object.keys(TEMPLATES) as RichType[];

/**
 * What each platform shows of each type, as a short description of what its stand-in received.
 * A row is a Content type, a column a platform.
 */
const PLATFORMS = ['webhook', 'webchat', 'telegram', 'line', 'instagram', 'viber'] as const;
type Platform = (typeof PLATFORMS)[number];

/** Where a platform sends several messages for one template, they are joined with ` + `. */
const EXPECTED: Record<RichType, Record<Platform, string>> = {
  text: { webhook: 'text', webchat: 'text', telegram: 'text: Hello Ann', line: 'text: Hello Ann', instagram: 'text: Hello Ann', viber: 'text: Hello Ann' },
  media: { webhook: 'media', webchat: 'media', telegram: 'text with link', line: 'text with link', instagram: 'text with link', viber: 'text with link' },
  'quick-reply': {
    webhook: 'quick-reply',
    webchat: 'quick-reply',
    telegram: 'keyboard: Yes | No',
    line: 'quick replies: Yes | No',
    instagram: 'quick replies: Yes | No',
    viber: 'keyboard: Yes | No',
  },
  'list-picker': {
    webhook: 'list-picker',
    webchat: 'list-picker',
    telegram: 'keyboard: Billing | Delivery | Returns',
    line: 'quick replies: Billing | Delivery | Returns',
    instagram: 'text: Pick a topic, Ann + generic: Billing (Invoices and payments) [Choose] | Delivery [Choose] | Returns [Choose]',
    viber: 'text: Pick a topic, Ann + rich media: Billing / Invoices and payments | Choose | Delivery | Choose | Returns | Choose',
  },
  'call-to-action': {
    webhook: 'call-to-action',
    webchat: 'call-to-action',
    telegram: 'keyboard: Track (link)',
    line: 'buttons: Track | Call us',
    instagram: 'generic: Track your parcel, Ann (Call us: +15005550006) [Track (link)]',
    viber: 'keyboard: Track (link)',
  },
  card: {
    webhook: 'card',
    webchat: 'card',
    telegram: 'keyboard: Morning | Afternoon | All slots (link)',
    line: 'buttons: Morning | Afternoon | All slots',
    instagram: 'generic: Delivery slot for Ann (Choose one) [Morning, Afternoon, All slots (link)]',
    viber: 'rich media: Delivery slot for Ann / Choose one | Morning | Afternoon | All slots (link)',
  },
  location: {
    webhook: 'location',
    webchat: 'location',
    telegram: 'venue: Our shop, Ann',
    line: 'location: Our shop, Ann',
    instagram: 'text with link',
    viber: 'text with link + location: 52.52,13.405',
  },
};

function describeTelegram(sent: SentTelegramMessage): string {
  if (sent.location) return sent.location.title ? `venue: ${sent.location.title}` : 'location';
  if (sent.reply_markup)
    return `keyboard: ${sent.reply_markup.inline_keyboard
      .flat()
      .map((b) => (b.url ? `${b.text} (link)` : b.text))
      .join(' | ')}`;
  return sent.text.includes('https://') ? 'text with link' : `text: ${sent.text}`;
}

function describeLine(pushed: PushedLineMessage): string {
  if (pushed.location) return `location: ${pushed.location.title}`;
  if (pushed.template) return `buttons: ${pushed.template.actions.map((a) => a.label).join(' | ')}`;
  if (pushed.quickReply) return `quick replies: ${pushed.quickReply.items.map((i) => i.action.label).join(' | ')}`;
  return pushed.text.includes('https://') ? 'text with link' : `text: ${pushed.text}`;
}

function describeInstagram(sent: SentInstagramMessage): string {
  if (sent.template)
    return `generic: ${sent.template.elements
      .map((e) => {
        const buttons = (e.buttons ?? []).map((b) => (b.type === 'web_url' ? `${b.title} (link)` : b.title));
        return `${e.title}${e.subtitle ? ` (${e.subtitle})` : ''} [${buttons.join(', ')}]`;
      })
      .join(' | ')}`;
  if (sent.quickReplies) return `quick replies: ${sent.quickReplies.map((r) => r.title).join(' | ')}`;
  return sent.text!.includes('https://') ? 'text with link' : `text: ${sent.text}`;
}

function describeViber(sent: SentViberMessage): string {
  const buttons = (list: ViberTestButton[]) =>
    list.map((b) => `${(b.Text ?? '').replaceAll('<br>', ' / ')}${b.ActionType === 'open-url' ? ' (link)' : ''}`).join(' | ');
  if (sent.location) return `location: ${sent.location.lat},${sent.location.lon}`;
  if (sent.rich_media) return `rich media: ${buttons(sent.rich_media.Buttons)}`;
  if (sent.keyboard) return `keyboard: ${buttons(sent.keyboard.Buttons)}`;
  return sent.text.includes('https://') ? 'text with link' : `text: ${sent.text}`;
}

describe('rich messages: Content templates to every channel, and the customer taps back into Flex', async () => {
  const messengers = await startMessengerStandIns();
  // The messengers' channels, and a web chat beside them.
  const channelsFile = messengers.env.CHANNELS_FILE;
  const channels = JSON.parse(readFileSync(channelsFile, 'utf8')) as { channels: unknown[] };
  channels.channels.push({ channelType: 'webchat', displayName: 'Web Chat', color: '#0E7C3A', icon: '<svg viewBox="0 0 1 1"></svg>', adapter: 'webchat' });
  writeFileSync(channelsFile, JSON.stringify(channels));
  const harness = await startHarness({ routing: 'interactions', env: messengers.env });
  const webchat = await WebchatClient.open(harness.middleware.url);
  after(async () => {
    await webchat.close();
    await harness.stop();
    await messengers.close();
  });
  const { telegram, line, instagram, viber } = messengers;
  const telegramUrl = `${harness.middleware.url}/channels/telegram/${TELEGRAM_TEST.channelType}`;
  const lineUrl = `${harness.middleware.url}/channels/line/${LINE_TEST.channelType}`;
  const instagramUrl = `${harness.middleware.url}/channels/instagram/${INSTAGRAM_TEST.channelType}`;
  const viberUrl = `${harness.middleware.url}/channels/viber/${VIBER_TEST.channelType}`;

  const templateSids = new Map<RichType, string>();
  for (const type of TYPES) {
    const created = await harness.admin.content.v1.contents.create({ language: 'en', friendly_name: type, types: TEMPLATES[type] } as never);
    templateSids.set(type, created.sid);
  }

  // One customer on each platform, each with an open conversation.
  const telegramUser = { id: 6661001, first_name: 'Ann' };
  await telegram.deliver(telegram.textUpdate(telegramUser, 'hi'), { url: telegramUrl, secretToken: TELEGRAM_TEST.secret });
  const lineUser = { userId: lineUserId(), displayName: 'Ann' };
  await line.deliver(line.textCallback(lineUser, 'hi'), { url: lineUrl });
  const instagramUser = instagram.newUser('Ann');
  await instagram.deliver(instagram.callback(instagram.textEvent(instagramUser, 'hi')), { url: instagramUrl });
  const viberUser = { id: viberUserId(), name: 'Ann' };
  await viber.deliver(viber.textCallback(viberUser, 'hi'), { url: viberUrl });
  assert.equal((await harness.send({ id: 'rich-hook-1', from: { id: 'rich-hook-customer' }, text: 'hi' })).status, 202);
  const { welcome } = await webchat.hello();
  webchat.send({ type: 'message', id: 'rich-visitor-1', name: 'Ann', text: 'hi' });
  const conversations = {
    webhook: await activeConversationSid(harness, 'rich-hook-customer'),
    webchat: await activeConversationSid(harness, welcome.visitorId, 'webchat'),
    telegram: await activeConversationSid(harness, String(telegramUser.id), TELEGRAM_TEST.channelType),
    line: await activeConversationSid(harness, lineUser.userId, LINE_TEST.channelType),
    instagram: await activeConversationSid(harness, instagramUser.id, INSTAGRAM_TEST.channelType),
    viber: await activeConversationSid(harness, viberUser.id, VIBER_TEST.channelType),
  };

  /** A bot posts the template into the conversation, its variable in the message attributes. */
  const postTemplate = (conversationSid: string, contentSid: string) =>
    harness.admin.conversations.v1.conversations(conversationSid).messages.create({
      author: 'bot',
      contentSid,
      attributes: JSON.stringify({ contentVariables: { 1: 'Ann' } }),
    });

  /** What each platform's stand-in shows of the next message (or the next `parts`), once it arrives. */
  const shown: Record<Platform, (before: number, parts: number) => Promise<string>> = {
    async webhook(before: number) {
      const delivery = await eventually(() => harness.receiver.received.slice(before).find((d) => d.body.type === 'message'), 'a delivery');
      return (delivery.body.rich as { type: string }).type;
    },
    async webchat(before: number) {
      const frame = await webchat.next('event', (f) => f.event.kind === 'agent-message', before);
      return frame.event.kind === 'agent-message' ? (frame.event.rich?.type ?? 'none') : 'none';
    },
    async telegram(before: number) {
      return describeTelegram(await eventually(() => telegram.sent.slice(before).find((m) => m.chat_id === String(telegramUser.id)), 'a Telegram send'));
    },
    async line(before: number) {
      return describeLine(await eventually(() => line.pushed.slice(before).find((m) => m.to === lineUser.userId), 'a LINE push'));
    },
    async instagram(before: number, parts: number) {
      const sends = await eventually(() => {
        const mine = instagram.sent.slice(before).filter((m) => m.to === instagramUser.id);
        return mine.length >= parts && mine;
      }, 'the Instagram sends');
      return sends.map(describeInstagram).join(' + ');
    },
    async viber(before: number, parts: number) {
      const sends = await eventually(() => {
        const mine = viber.sent.slice(before).filter((m) => m.receiver === viberUser.id);
        return mine.length >= parts && mine;
      }, 'the Viber sends');
      return sends.map(describeViber).join(' + ');
    },
  };
  const counts = {
    webhook: () => harness.receiver.received.length,
    webchat: () => webchat.frames.length,
    telegram: () => telegram.sent.length,
    line: () => line.pushed.length,
    instagram: () => instagram.sent.length,
    viber: () => viber.sent.length,
  };

  for (const type of TYPES) {
    for (const platform of PLATFORMS) {
      test(`${type} on ${platform}: ${EXPECTED[type][platform]}`, async () => {
        const before = counts[platform]();
        await postTemplate(conversations[platform], templateSids.get(type)!);
        assert.equal(await shown[platform](before, EXPECTED[type][platform].split(' + ').length), EXPECTED[type][platform]);
      });
    }
  }

  test('the webhook channel gets the filled template and its text form, numbered options included', async () => {
    const before = harness.receiver.received.length;
    await postTemplate(conversations.webhook, templateSids.get('list-picker')!);
    const delivery = await eventually(() => harness.receiver.received.slice(before).find((d) => d.body.type === 'message'), 'a delivery');
    assert.deepEqual(delivery.body.rich, {
      type: 'list-picker',
      body: 'Pick a topic, Ann',
      button: 'Topics',
      options: [
        { id: 'billing', title: 'Billing', description: 'Invoices and payments' },
        { id: 'delivery', title: 'Delivery' },
        { id: 'returns', title: 'Returns' },
      ],
    });
    assert.equal(delivery.body.text, 'Pick a topic, Ann\nTopics:\n1. Billing (Invoices and payments)\n2. Delivery\n3. Returns');
  });

  /** The customer's latest message in Flex, once it has these attributes. */
  const latestWith = (conversationSid: string, key: string) =>
    eventually(
      async () => (await conversationMessages(harness, conversationSid)).reverse().find((m) => m.attributes[key] !== undefined),
      `a message with ${key}`,
    );

  test('Telegram: a tapped button, a shared venue and a contact reach Flex as text with their values in the attributes', async () => {
    const before = telegram.sent.length;
    await postTemplate(conversations.telegram, templateSids.get('quick-reply')!);
    const question = await eventually(() => telegram.sent.slice(before).find((m) => m.reply_markup), 'the keyboard');
    await telegram.deliver(telegram.callbackQueryUpdate(telegramUser, question, 'No'), { url: telegramUrl, secretToken: TELEGRAM_TEST.secret });
    const tap = await latestWith(conversations.telegram, 'selection');
    assert.equal(tap.body, 'Selected: No');
    assert.deepEqual(tap.attributes.selection, { id: 'helpful_no', title: 'No', source: 'button' });

    await telegram.deliver(telegram.locationUpdate(telegramUser, { latitude: 48.1371, longitude: 11.5754, title: 'Home', address: 'Marienplatz 8' }), {
      url: telegramUrl,
      secretToken: TELEGRAM_TEST.secret,
    });
    const place = await latestWith(conversations.telegram, 'location');
    assert.match(place.body!, /^Shared a location: Home, Marienplatz 8\nhttps:\/\/www\.openstreetmap\.org\/\?mlat=48\.1371&mlon=11\.5754/);
    assert.deepEqual(place.attributes.location, { latitude: 48.1371, longitude: 11.5754, label: 'Home', address: 'Marienplatz 8' });

    await telegram.deliver(telegram.contactUpdate(telegramUser, { phone_number: '+4915100000000', first_name: 'Ann', last_name: 'Lee' }), {
      url: telegramUrl,
      secretToken: TELEGRAM_TEST.secret,
    });
    const contact = await latestWith(conversations.telegram, 'contact');
    assert.equal(contact.body, 'Shared a contact: Ann Lee (+4915100000000)');
  });

  test('LINE: a tapped quick reply, a shared location and a sticker reach Flex with their values in the attributes', async () => {
    const before = line.pushed.length;
    await postTemplate(conversations.line, templateSids.get('list-picker')!);
    const question = await eventually(() => line.pushed.slice(before).find((m) => m.quickReply), 'the quick replies');
    await line.deliver(line.postbackCallback(lineUser, question.quickReply!.items[1]!.action), { url: lineUrl });
    const tap = await latestWith(conversations.line, 'selection');
    assert.equal(tap.body, 'Selected: Delivery');
    assert.deepEqual(tap.attributes.selection, { id: 'delivery', title: 'Delivery', source: 'postback' });

    await line.deliver(line.locationCallback(lineUser, { title: 'Office', address: 'Shibuya', latitude: 35.658, longitude: 139.7016 }), { url: lineUrl });
    const place = await latestWith(conversations.line, 'location');
    assert.deepEqual(place.attributes.location, { latitude: 35.658, longitude: 139.7016, label: 'Office', address: 'Shibuya' });

    await line.deliver(line.stickerCallback(lineUser, { packageId: '446', stickerId: '1988', keywords: ['thanks'] }), { url: lineUrl });
    const sticker = await latestWith(conversations.line, 'sticker');
    assert.equal(sticker.body, '[sticker: thanks]');
    assert.deepEqual(sticker.attributes.sticker, { packageId: '446', stickerId: '1988' });
  });

  test('Instagram: a tapped quick reply and a tapped list item reach Flex as the selection, its payload in the attributes', async () => {
    const before = instagram.sent.length;
    await postTemplate(conversations.instagram, templateSids.get('quick-reply')!);
    const question = await eventually(() => instagram.sent.slice(before).find((m) => m.quickReplies), 'the quick replies');
    await instagram.deliver(instagram.callback(instagram.quickReplyEvent(instagramUser, question.quickReplies![1]!)), { url: instagramUrl });
    const tap = await latestWith(conversations.instagram, 'selection');
    assert.equal(tap.body, 'Selected: No');
    assert.deepEqual(tap.attributes.selection, { id: 'helpful_no', title: 'No', source: 'button' });

    const beforeList = instagram.sent.length;
    await postTemplate(conversations.instagram, templateSids.get('list-picker')!);
    const list = await eventually(() => instagram.sent.slice(beforeList).find((m) => m.template), 'the list');
    const item = list.template!.elements[2]!;
    await instagram.deliver(
      instagram.callback(instagram.postbackEvent(instagramUser, { title: item.buttons![0]!.title, payload: item.buttons![0]!.payload })),
      {
        url: instagramUrl,
      },
    );
    const picked = await eventually(
      async () =>
        (await conversationMessages(harness, conversations.instagram))
          .reverse()
          .find((m) => (m.attributes.selection as { source?: string } | undefined)?.source === 'postback'),
      'the postback',
    );
    assert.equal(picked.body, 'Selected: Returns');
    assert.deepEqual(picked.attributes.selection, { id: 'returns', title: 'Returns', source: 'postback' });
  });

  test('Viber: a tapped keyboard button, a tapped list item and a shared location reach Flex with their values in the attributes', async () => {
    const before = viber.sent.length;
    await postTemplate(conversations.viber, templateSids.get('quick-reply')!);
    const question = await eventually(() => viber.sent.slice(before).find((m) => m.keyboard), 'the keyboard');
    const no = question.keyboard!.Buttons.find((b) => b.Text === 'No')!;
    await viber.deliver(viber.tapCallback(viberUser, question, no), { url: viberUrl });
    const tap = await latestWith(conversations.viber, 'selection');
    assert.equal(tap.body, 'Selected: No');
    assert.deepEqual(tap.attributes.selection, { id: 'helpful_no', title: 'No', source: 'button' });

    const beforeList = viber.sent.length;
    await postTemplate(conversations.viber, templateSids.get('list-picker')!);
    const list = await eventually(() => viber.sent.slice(beforeList).find((m) => m.rich_media), 'the carousel');
    const returns = list.rich_media!.Buttons.filter((b) => b.ActionType === 'reply')[2]!;
    await viber.deliver(viber.tapCallback(viberUser, list, returns), { url: viberUrl });
    const picked = await eventually(
      async () =>
        (await conversationMessages(harness, conversations.viber))
          .reverse()
          .find((m) => (m.attributes.selection as { id?: string } | undefined)?.id === 'returns'),
      'the list item',
    );
    assert.equal(picked.body, 'Selected: Returns');

    await viber.deliver(viber.locationCallback(viberUser, { lat: 50.76891, lon: 6.11499 }), { url: viberUrl });
    const place = await latestWith(conversations.viber, 'location');
    assert.deepEqual(place.attributes.location, { latitude: 50.76891, longitude: 6.11499 });
  });

  test('web chat: the visitor taps an option; Flex gets the selection, the visitor sees it as their message', async () => {
    const before = webchat.frames.length;
    await postTemplate(conversations.webchat, templateSids.get('card')!);
    await webchat.next('event', (f) => f.event.kind === 'agent-message' && f.event.rich?.type === 'card', before);
    webchat.send({ type: 'message', id: 'rich-visitor-tap', name: 'Ann', selection: { id: 'slot_pm', title: 'Afternoon' } });
    const ack = await webchat.next('ack', (f) => f.id === 'rich-visitor-tap');
    assert.equal(ack.status, 'accepted');
    const own = await webchat.next('event', (f) => f.event.kind === 'visitor-message' && f.event.id === 'rich-visitor-tap');
    assert.equal(own.event.kind === 'visitor-message' && own.event.text, 'Selected: Afternoon');
    const tap = await latestWith(conversations.webchat, 'selection');
    assert.equal(tap.body, 'Selected: Afternoon');
    assert.deepEqual(tap.attributes.selection, { id: 'slot_pm', title: 'Afternoon', source: 'button' });
  });

  test('web chat: the visitor shares a location; Flex gets a map link with the coordinates in the attributes; a place off the globe is refused', async () => {
    const before = webchat.frames.length;
    for (const [id, location, field] of [
      ['rich-visitor-far-north', { latitude: 90.5, longitude: 13.4 }, '/location/latitude'],
      ['rich-visitor-far-east', { latitude: 52.5, longitude: 180.01 }, '/location/longitude'],
      ['rich-visitor-no-longitude', { latitude: 52.5 }, '/location/longitude'],
      ['rich-visitor-place-and-text', { latitude: 52.5, longitude: 13.4 }, '/location'],
    ] as const) {
      webchat.send({ type: 'message', id, name: 'Ann', location, ...(id === 'rich-visitor-place-and-text' ? { text: 'here' } : {}) });
      const error = await webchat.next('error', (f) => f.id === id, before);
      assert.equal(error.code, 'invalid_frame');
      assert.equal(error.field, field);
    }
    webchat.send({ type: 'message', id: 'rich-visitor-place', name: 'Ann', location: { latitude: -33.8568, longitude: 151.2153 } });
    assert.equal((await webchat.next('ack', (f) => f.id === 'rich-visitor-place')).status, 'accepted');
    const place = await latestWith(conversations.webchat, 'location');
    assert.equal(place.body, 'Shared a location\nhttps://www.openstreetmap.org/?mlat=-33.8568&mlon=151.2153#map=17/-33.8568/151.2153');
    assert.deepEqual(place.attributes.location, { latitude: -33.8568, longitude: 151.2153 });
  });

  test('an unknown or deleted ContentSid is not delivered: the agent gets a notice, nothing is dead-lettered', async () => {
    const gone = await harness.admin.content.v1.contents.create({ language: 'en', types: { 'twilio/text': { body: 'bye' } } } as never);
    await harness.admin.content.v1.contents(gone.sid).remove();
    const before = harness.receiver.received.length;
    for (const sid of [`HX${'0'.repeat(32)}`, gone.sid]) {
      const posted = await postTemplate(conversations.webhook, sid);
      const notice = await eventually(
        async () => (await conversationMessages(harness, conversations.webhook)).find((m) => m.attributes.externalId === `content:${posted.sid}`),
        'the notice',
      );
      assert.equal(notice.author, 'system');
      assert.equal(notice.attributes.systemNotice, 'content_not_found');
      assert.match(notice.body!, /^Not delivered to chatapp: the rich message's template does not exist/);
    }
    assert.equal(harness.receiver.received.slice(before).filter((d) => d.body.type === 'message').length, 0, 'nothing reached the channel');
    assert.deepEqual(await harness.middleware.store.listDeadLetters({ limit: 10 }), []);
  });
});
