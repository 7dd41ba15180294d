import { optionPayload } from '../../rich/customer-replies.js';
import { cutText, type RichContent, richFallbackText, type RichLink, type RichOption } from '../../rich/rich-content.js';
import type { InstagramMessage } from './instagram-sends.js';
import { instagramTextParts } from './instagram-text.js';

/**
 * Meta's limits, as its documentation gives them (Instagram Messaging's quick replies; the
 * Messenger Platform's generic template and button references; the README's rich messages
 * section names each page).
 */
const QUICK_REPLIES_MAX = 13;
const QUICK_REPLY_TITLE_MAX = 20;
const PAYLOAD_MAX = 1000;
const ELEMENTS_MAX = 10;
const BUTTONS_MAX = 3;
const ELEMENT_TITLE_MAX = 80;
const ELEMENT_SUBTITLE_MAX = 80;
const BUTTON_TITLE_MAX = 20;
/** What a list item's button says: the item itself is the element's title. */
const LIST_ITEM_BUTTON = 'Choose';

export interface InstagramQuickReply {
  content_type: 'text';
  title: string;
  payload: string;
}

export type InstagramButton = { type: 'web_url'; url: string; title: string } | { type: 'postback'; title: string; payload: string };

export interface InstagramElement {
  title: string;
  subtitle?: string;
  image_url?: string;
  buttons?: InstagramButton[];
}

/** What a tap sends back: Instagram returns it as the quick reply's or the postback's payload. */
const payloadOf = (option: RichOption) => optionPayload(option, PAYLOAD_MAX);

const postback = (option: RichOption, title = option.title): InstagramButton => ({
  type: 'postback',
  title: cutText(title, BUTTON_TITLE_MAX),
  payload: payloadOf(option),
});

/** A text as Instagram takes it: in parts when it is longer than one message holds. */
const texts = (text: string): InstagramMessage[] => instagramTextParts(text).map((part) => ({ text: part }));

/**
 * A text with quick replies, on its last part; past Instagram's 13 the text lists every option
 * by number, and the first 13 are quick replies.
 */
function withQuickReplies(text: string, options: RichOption[]): InstagramMessage[] {
  const parts = instagramTextParts(text);
  const quick_replies = options
    .slice(0, QUICK_REPLIES_MAX)
    .map((option): InstagramQuickReply => ({ content_type: 'text', title: cutText(option.title, QUICK_REPLY_TITLE_MAX), payload: payloadOf(option) }));
  return parts.map((part, i) => (i === parts.length - 1 ? { text: part, quick_replies } : { text: part }));
}

const generic = (elements: InstagramElement[]): InstagramMessage => ({
  attachment: { type: 'template', payload: { template_type: 'generic', elements } },
});

/**
 * One element with these answers and links as its buttons, when they fit (1 to 3); undefined
 * otherwise. Instagram's buttons open web pages or answer, never call: phone numbers go in
 * the subtitle, when it has room for them.
 */
function element(title: string, subtitle: string | undefined, options: RichOption[], links: RichLink[], image?: string): InstagramElement | undefined {
  const buttons: InstagramButton[] = [
    ...options.map((option) => postback(option)),
    ...links
      .filter((link) => link.kind === 'url')
      .map((link): InstagramButton => ({ type: 'web_url', url: link.target, title: cutText(link.title, BUTTON_TITLE_MAX) })),
  ];
  if (buttons.length < 1 || buttons.length > BUTTONS_MAX) return undefined;
  const phones = links.filter((link) => link.kind === 'phone').map((link) => `${link.title}: ${link.target}`);
  const below = [subtitle, ...phones].filter(Boolean).join('\n');
  if (phones.length > 0 && Array.from(below).length > ELEMENT_SUBTITLE_MAX) return undefined;
  return {
    title: cutText(title, ELEMENT_TITLE_MAX),
    ...(below ? { subtitle: cutText(below, ELEMENT_SUBTITLE_MAX) } : {}),
    ...(image?.startsWith('https://') ? { image_url: image } : {}),
    buttons,
  };
}

/**
 * A Content template as Send API messages: answers as quick replies, a list as a carousel of
 * its items, a card or links as a generic template; a place, and whatever does not fit
 * Instagram's limits, as the text every channel falls back to (options numbered, with quick replies).
 */
export function instagramRichMessages(content: RichContent): InstagramMessage[] {
  const fallback = (options: RichOption[]): InstagramMessage[] =>
    options.length > 0 ? withQuickReplies(richFallbackText(content), options) : texts(richFallbackText(content));
  switch (content.type) {
    case 'quick-reply':
      return content.options.length > QUICK_REPLIES_MAX ? fallback(content.options) : withQuickReplies(content.body, content.options);
    case 'list-picker': {
      if (content.options.length > ELEMENTS_MAX) return fallback(content.options);
      const items = content.options.map((option) => ({
        title: cutText(option.title, ELEMENT_TITLE_MAX),
        ...(option.description ? { subtitle: cutText(option.description, ELEMENT_SUBTITLE_MAX) } : {}),
        buttons: [postback(option, LIST_ITEM_BUTTON)],
      }));
      return [...texts(content.body), generic(items)];
    }
    case 'call-to-action': {
      const card = element(content.body, undefined, [], content.links);
      return card ? [generic([card])] : fallback([]);
    }
    case 'card': {
      const card = element(content.title, content.subtitle, content.options, content.links, content.media);
      return card ? [generic([card])] : fallback(content.options);
    }
    case 'location':
    case 'text':
    case 'media':
      return fallback([]);
  }
}
