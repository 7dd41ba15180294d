/**
 * What Instagram and Viber get when a template does not fit their limits: the numbered text
 * every channel falls back to, with as many buttons as the platform takes; never a refused send.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { instagramRichMessages } from '../../src/messengers/instagram/instagram-rich.js';
import { viberRichContents } from '../../src/messengers/viber/viber-rich.js';
import { richFallbackText, type RichContent } from '../../src/rich/rich-content.js';

const options = (count: number) => Array.from({ length: count }, (_, i) => ({ id: `option_${i + 1}`, title: `Option ${i + 1}` }));

describe('Instagram: past Meta limits, the numbered text', () => {
  test('14 quick replies: the text numbers all 14, the first 13 are quick replies', () => {
    const content: RichContent = { type: 'quick-reply', body: 'Pick one', options: options(14) };
    const [message, ...rest] = instagramRichMessages(content);
    assert.equal(rest.length, 0);
    assert.ok(message && 'text' in message);
    assert.equal(message.text, richFallbackText(content));
    assert.match(message.text, /\n14\. Option 14$/);
    assert.equal(message.quick_replies?.length, 13);
  });

  test('a quick reply title over 20 characters is cut; its payload keeps the id and the whole title', () => {
    const title = 'A much longer title than Instagram shows';
    const [message] = instagramRichMessages({ type: 'quick-reply', body: 'Pick', options: [{ id: 'long', title }] });
    assert.ok(message && 'text' in message);
    const [reply] = message.quick_replies!;
    assert.equal(Array.from(reply!.title).length, 20);
    assert.deepEqual(JSON.parse(reply!.payload), { id: 'long', title });
  });

  test('11 list items (a generic template holds 10 elements): numbered text with quick replies', () => {
    const content: RichContent = { type: 'list-picker', body: 'Topics', button: 'Choose', options: options(11) };
    const messages = instagramRichMessages(content);
    assert.equal(messages.length, 1);
    assert.ok('text' in messages[0]!);
    assert.equal(messages[0].text, richFallbackText(content));
  });

  test('a card with 4 buttons (an element holds 3): numbered text with quick replies for the answers', () => {
    const content: RichContent = {
      type: 'card',
      title: 'Slots',
      options: options(3),
      links: [{ kind: 'url', title: 'All slots', target: 'https://slots.example.com' }],
    };
    const [message] = instagramRichMessages(content);
    assert.ok(message && 'text' in message);
    assert.equal(message.text, richFallbackText(content));
    assert.equal(message.quick_replies?.length, 3);
  });

  test('a call to action with only a phone number (no button Instagram has): the text', () => {
    const content: RichContent = { type: 'call-to-action', body: 'Call us', links: [{ kind: 'phone', title: 'Support', target: '+15005550006' }] };
    assert.deepEqual(instagramRichMessages(content), [{ text: richFallbackText(content) }]);
  });
});

describe('Viber: past its limits, the numbered text', () => {
  test('25 quick replies (a keyboard holds 24): the text numbers all, the first 24 are buttons', () => {
    const content: RichContent = { type: 'quick-reply', body: 'Pick one', options: options(25) };
    const [message] = viberRichContents(content);
    assert.ok(message?.type === 'text');
    assert.equal(message.text, richFallbackText(content));
    assert.equal(message.keyboard?.Buttons.length, 24);
  });

  test('7 list items (a carousel holds 6): numbered text with a keyboard', () => {
    const content: RichContent = { type: 'list-picker', body: 'Topics', button: 'Choose', options: options(7) };
    const messages = viberRichContents(content);
    assert.equal(messages.length, 1);
    assert.ok(messages[0]?.type === 'text');
    assert.equal(messages[0].keyboard?.Buttons.length, 7);
  });

  test('a card with a picture and 4 buttons (3 + 1 + 4 rows, an item holds 7): numbered text with a keyboard', () => {
    const content: RichContent = {
      type: 'card',
      title: 'Slots',
      media: 'https://files.example.com/slots.jpg',
      options: options(4),
      links: [],
    };
    const [message] = viberRichContents(content);
    assert.ok(message?.type === 'text');
    assert.equal(message.text, richFallbackText(content));
  });

  test('titles are shown as text, not as markup; tracking_data names every option', () => {
    const [message] = viberRichContents({ type: 'quick-reply', body: 'Pick', options: [{ id: 'b', title: '<b>bold</b>' }] });
    assert.ok(message?.type === 'text');
    assert.equal(message.keyboard?.Buttons[0]?.Text, '&lt;b&gt;bold&lt;/b&gt;');
    assert.deepEqual(JSON.parse(message.tracking_data!), { options: [{ id: 'b', title: '<b>bold</b>' }] });
  });
});
