import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineMessagesOf } from '../../src/messengers/line/line-media-messages.js';
import { telegramSendsOf } from '../../src/messengers/telegram/telegram-media-sends.js';

const MB = 1024 * 1024;
const url = 'https://support.example.test/media/IS1/ME1?expires=1&signature=s';
const file = (contentType: string, size: number | null, filename: string | null = 'f') => ({ url, contentType, filename, size });
const link = (filename: string) => `${filename} (link valid for a limited time): ${url}`;

test('Telegram: photos up to 5 MB by sendPhoto, GIF, PDF and ZIP up to 20 MB by sendDocument, the rest as a text with the link, after the text', () => {
  const sends = telegramSendsOf('42', 'here', [
    file('image/png', 5 * MB),
    file('image/jpeg', 5 * MB + 1, 'big.jpg'),
    file('application/pdf', 20 * MB),
    file('application/zip', null),
    file('text/csv', 10, 'rows.csv'),
  ]);
  assert.deepEqual(
    sends.map((send) => [send.method, send.params.photo ?? send.params.document ?? send.params.text]),
    [
      ['sendMessage', 'here'],
      ['sendPhoto', url],
      ['sendMessage', link('big.jpg')],
      ['sendDocument', url],
      ['sendDocument', url],
      ['sendMessage', link('rows.csv')],
    ],
  );
});

test('LINE: JPEG and PNG up to 1 MB on https as image messages, the rest as a text with the link, at most five messages', () => {
  const messages = lineMessagesOf('', [
    file('image/jpeg', MB),
    file('image/png', MB + 1, 'large.png'),
    { ...file('image/jpeg', 10, 'plain.jpg'), url: url.replace('https:', 'http:') },
    file('application/pdf', 10, 'a.pdf'),
    file('image/png', null, 'unknown.png'),
    file('image/png', 10),
  ]);
  assert.deepEqual(messages, [
    { type: 'image', originalContentUrl: url, previewImageUrl: url },
    { type: 'text', text: link('large.png') },
    { type: 'text', text: `plain.jpg (link valid for a limited time): ${url.replace('https:', 'http:')}` },
    { type: 'text', text: link('a.pdf') },
    { type: 'text', text: link('unknown.png') },
  ]);
});
