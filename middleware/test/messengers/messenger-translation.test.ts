import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selectLineEvent, translateLineMessage } from '../../src/messengers/line/line-events.js';
import { translateTelegramUpdate } from '../../src/messengers/telegram/telegram-update.js';

const telegramMessage = (fields: Record<string, unknown>) => ({
  update_id: 1,
  message: { message_id: 7, date: 1_700_000_000, chat: { id: 42, type: 'private' }, from: { id: 42, first_name: 'Ann' }, ...fields },
});

test('a Telegram text longer than the channel takes is cut and marked, not refused', () => {
  const translation = translateTelegramUpdate(telegramMessage({ text: 'abcdefghijklmnopqrstuvwxyz' }), 12);
  assert.equal(translation.kind, 'message');
  assert.equal(translation.kind === 'message' && translation.message.text, 'abcdefgh […]');
});

test("Telegram: pressing Start reaches the agent as a placeholder, not as the command's text", () => {
  for (const text of ['/start', '/start campaign-42', '/start@example_support_bot']) {
    const translation = translateTelegramUpdate(telegramMessage({ text }), 100);
    assert.equal(translation.kind === 'message' && translation.message.text, '[started the chat]', text);
  }
  const other = translateTelegramUpdate(telegramMessage({ text: '/starter kit?' }), 100);
  assert.equal(other.kind === 'message' && other.message.text, '/starter kit?');
});

test('Telegram: blank text, bots and other chats are ignored; an edit is a new message that says so', () => {
  assert.deepEqual(translateTelegramUpdate(telegramMessage({ text: '   ' }), 100), { kind: 'ignored', reason: 'an empty message' });
  assert.deepEqual(translateTelegramUpdate(telegramMessage({ text: 'hi', from: { id: 9, is_bot: true, first_name: 'B' } }), 100), {
    kind: 'ignored',
    reason: 'not from a person',
  });
  const edit = translateTelegramUpdate({ update_id: 2, edited_message: { ...telegramMessage({ text: 'fixed' }).message, edit_date: 1_700_000_100 } }, 100);
  assert.equal(edit.kind === 'message' && edit.message.id, '42:7:edited:1700000100');
  assert.equal(edit.kind === 'message' && edit.message.text, '[edited a message] fixed');
  const named = translateTelegramUpdate(telegramMessage({ text: 'hi', from: { id: 42, username: 'ann_x' } }), 100);
  assert.equal(named.kind === 'message' && named.message.from.name, '@ann_x');
});

test('LINE: an event without the fields every webhook event has is ignored, not an error', () => {
  assert.deepEqual(selectLineEvent({ type: 'message' }), { ignored: 'not a webhook event this channel reads' });
  const event = {
    type: 'message',
    webhookEventId: '01HTEST',
    timestamp: 1_700_000_000_000,
    deliveryContext: { isRedelivery: false },
    source: { type: 'user', userId: 'U0123' },
    message: { type: 'file', id: '5', fileName: 'invoice.pdf', fileSize: 100 },
  };
  const selected = selectLineEvent(event);
  assert.ok(!('ignored' in selected));
  const translation = translateLineMessage(selected, undefined, 100);
  assert.deepEqual(translation, {
    kind: 'message',
    message: {
      id: '01HTEST',
      from: { id: 'U0123' },
      text: '[file: invoice.pdf, not taken by this channel]',
      timestamp: '2023-11-14T22:13:20.000Z',
      attributes: { lineMessageId: '5' },
    },
  });
  assert.deepEqual(selectLineEvent({ ...event, mode: 'standby' }), { ignored: 'the channel is in standby mode' });
});

test('Telegram: the largest size of a photo the channel takes is an attachment, its caption the text; an edit carries no file again', () => {
  const media = { accept: ['image/jpeg'], maxBytes: 1000 };
  const photo = [
    { file_id: 'small', width: 90, height: 90, file_size: 10 },
    { file_id: 'large', width: 800, height: 600, file_size: 900 },
  ];
  const taken = translateTelegramUpdate(telegramMessage({ photo, caption: 'my receipt' }), 100, media);
  assert.equal(taken.kind === 'message' && taken.message.text, 'my receipt');
  assert.deepEqual(taken.kind === 'message' && taken.message.media, [{ platformFileId: 'large', contentType: 'image/jpeg' }]);
  const tooLarge = translateTelegramUpdate(telegramMessage({ photo: [{ ...photo[1], file_size: 1001 }] }), 100, media);
  assert.equal(tooLarge.kind === 'message' && tooLarge.message.text, '[photo, too large for this channel]');
  const document = { file_id: 'd', file_name: 'a.pdf', mime_type: 'application/pdf' };
  const refused = translateTelegramUpdate(telegramMessage({ document, caption: 'see' }), 100, media);
  assert.equal(refused.kind === 'message' && refused.message.text, '[file: a.pdf, not taken by this channel] see');
  assert.equal(refused.kind === 'message' && refused.message.media, undefined);
  const edit = translateTelegramUpdate({ update_id: 3, edited_message: { ...telegramMessage({ photo, caption: 'new' }).message, edit_date: 1 } }, 100, media);
  assert.equal(edit.kind === 'message' && edit.message.media, undefined);
  assert.equal(edit.kind === 'message' && edit.message.text, '[edited a message] [photo, not taken by this channel] new');
});
