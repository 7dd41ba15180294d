import { mapLink, richFallbackText, type RichContent, type RichLink, type RichOption } from '../../rich/rich-content.js';
import type { TelegramSend } from './telegram-media-sends.js';

/** Telegram's limit on a button's callback_data, in bytes. */
const CALLBACK_DATA_MAX_BYTES = 64;

interface InlineButton {
  text: string;
  callback_data?: string;
  url?: string;
}

/**
 * What a tapped button sends back: the option's id, or `#<position>` when the id is longer
 * than Telegram carries (the tap is then reported with that position and the button's title).
 */
export function callbackDataOf(option: RichOption, index: number): string {
  return Buffer.byteLength(option.id) <= CALLBACK_DATA_MAX_BYTES ? option.id : `#${index + 1}`;
}

/** One button per row: titles stay readable on a phone. */
function keyboardOf(options: RichOption[], links: RichLink[]): { inline_keyboard: InlineButton[][] } | undefined {
  const rows: InlineButton[][] = [
    ...options.map((option, index) => [{ text: option.title, callback_data: callbackDataOf(option, index) }]),
    // Telegram's URL buttons take http(s) and tg:// links, not tel:, so a phone number stays in the text.
    ...links.filter((link) => link.kind === 'url').map((link) => [{ text: link.title, url: link.target }]),
  ];
  return rows.length > 0 ? { inline_keyboard: rows } : undefined;
}

function phoneLines(links: RichLink[]): string[] {
  return links.filter((link) => link.kind === 'phone').map((link) => `${link.title}: ${link.target}`);
}

/**
 * A Content template as Bot API calls: answers as an inline keyboard under the text, links as
 * URL buttons, a place as a venue (or a bare location without a label), media as the text with its links.
 */
export function telegramRichSends(chatId: string, content: RichContent): TelegramSend[] {
  const message = (text: string, markup?: object): TelegramSend => ({
    method: 'sendMessage',
    params: { chat_id: chatId, text, ...(markup ? { reply_markup: markup } : {}) },
  });
  switch (content.type) {
    case 'quick-reply':
      return [message(content.body, keyboardOf(content.options, []))];
    case 'list-picker':
      return [message(content.body, keyboardOf(content.options, []))];
    case 'call-to-action':
      return [message([content.body, ...phoneLines(content.links)].join('\n'), keyboardOf([], content.links))];
    case 'card': {
      const text = [content.title, content.subtitle, ...phoneLines(content.links)].filter(Boolean).join('\n');
      const markup = keyboardOf(content.options, content.links);
      if (!content.media) return [message(text, markup)];
      return [{ method: 'sendPhoto', params: { chat_id: chatId, photo: content.media, caption: text, ...(markup ? { reply_markup: markup } : {}) } }];
    }
    case 'location': {
      const place = { chat_id: chatId, latitude: content.latitude, longitude: content.longitude };
      if (!content.label) return [{ method: 'sendLocation', params: place }];
      return [{ method: 'sendVenue', params: { ...place, title: content.label, address: content.address ?? mapLink(content.latitude, content.longitude) } }];
    }
    case 'text':
    case 'media':
      return [message(richFallbackText(content))];
  }
}
