/**
 * What Instagram and Viber get when a template does not fit their limits: the numbered text
 * every channel falls back to, with as many buttons as the platform takes; never a refused send.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { instagramRichMessages } from '../../src/messengers/instagram/instagram-rich.js';
import { instagramMessagesOf } from '../../src/messengers/instagram/instagram-sends.js';
import { viberRichContents } from '../../src/messengers/viber/viber-rich.js';
import { richFallbackText, type RichContent } from '../../src/rich/rich-content.js';

const utf8Bytes = (text: string) => Buffer.byteLength(text);

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

  test("a text of 1,000 bytes (Instagram's limit) is one message; one of 1,001 bytes is two, nothing lost", () => {
    const atLimit = 'é'.repeat(500);
    assert.equal(utf8Bytes(atLimit), 1000);
    assert.deepEqual(instagramMessagesOf(atLimit), [{ text: atLimit }]);
    const past = `${atLimit}a`;
    const parts = instagramMessagesOf(past).map((m) => ('text' in m ? m.text : ''));
    assert.deepEqual(parts, [atLimit, 'a']);
  });

  test('600 accented characters (within 1,000 characters, but 1,200 bytes) go in two parts cut at a space', () => {
    const text = Array.from({ length: 100 }, () => 'éééééé').join(' ');
    const parts = instagramMessagesOf(text).map((m) => ('text' in m ? m.text : ''));
    assert.equal(parts.length, 2);
    assert.ok(parts.every((part) => utf8Bytes(part) <= 1000));
    assert.equal(parts.join(' '), text);
  });

  test('quick replies under a body past 1,000 bytes: the body in parts, the quick replies on the last', () => {
    const body = `${'ü'.repeat(450)}\n${'ü'.repeat(450)}`;
    const messages = instagramRichMessages({ type: 'quick-reply', body, options: options(2) });
    assert.equal(messages.length, 2);
    const [first, last] = messages;
    assert.ok(first && 'text' in first && last && 'text' in last);
    assert.equal(first.quick_replies, undefined);
    assert.equal(last.quick_replies?.length, 2);
    assert.equal(`${first.text}\n${last.text}`, body);
    assert.ok(messages.every((m) => 'text' in m && utf8Bytes(m.text) <= 1000));
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
  test('tracking_data of 4,000 characters (creators.viber.com) is sent; of 4,001 it is left out and the tap comes back as its text', () => {
    const base = JSON.stringify({ options: [{ id: 'x', title: '' }] }).length;
    const withTitleOf = (length: number) => viberRichContents({ type: 'quick-reply', body: 'Pick', options: [{ id: 'x', title: 't'.repeat(length) }] })[0];
    const atLimit = withTitleOf(4000 - base);
    assert.ok(atLimit?.type === 'text');
    assert.equal(atLimit.tracking_data?.length, 4000);
    const past = withTitleOf(4001 - base);
    assert.ok(past?.type === 'text');
    assert.equal(past.tracking_data, undefined);
    assert.equal(past.keyboard?.Buttons.length, 1);
  });

  test("a button's Text stays within 250 characters counted on the markup sent, a cut marked with an ellipsis", () => {
    const textOf = (title: string) => {
      const [message] = viberRichContents({ type: 'quick-reply', body: 'Pick', options: [{ id: 'x', title }] });
      assert.ok(message?.type === 'text');
      return message.keyboard!.Buttons[0]!.Text!;
    };
    const plain = 'p'.repeat(250);
    assert.equal(textOf(plain), plain);
    const escaped = textOf(`${'q'.repeat(249)}&`);
    assert.ok(escaped.length <= 250, `${escaped.length} characters`);
    assert.match(escaped, /^q+…$/);
    assert.ok(textOf('&'.repeat(250)).length <= 250);
    assert.ok(textOf('😀'.repeat(200)).length <= 250);
  });

  test("a list item's label (lines joined with <br>) stays within 250 characters", () => {
    const options = [{ id: 'a', title: 'A'.repeat(24), description: `${'d'.repeat(100)}&${'e'.repeat(120)}` }];
    const [, carousel] = viberRichContents({ type: 'list-picker', body: 'Topics', button: 'Choose', options });
    assert.ok(carousel?.type === 'rich_media');
    const label = carousel.rich_media.Buttons[0]!.Text!;
    assert.ok(label.length <= 250, `${label.length} characters`);
    assert.match(label, /^A{24}<br>d+/);
  });
});
