import type { messagingApi } from '@line/bot-sdk';
import { optionPayload } from '../../rich/customer-replies.js';
import { cutText, mapLink, type RichContent, richFallbackText, type RichLink, type RichOption } from '../../rich/rich-content.js';

/** LINE's limits (Messaging API reference): quick reply items, their labels, postback data, a buttons template. */
const QUICK_REPLY_MAX_ITEMS = 13;
const ACTION_LABEL_MAX = 20;
const POSTBACK_DATA_MAX = 300;
const BUTTONS_MAX_ACTIONS = 4;
const BUTTONS_TITLE_MAX = 40;
const BUTTONS_TEXT_MAX = 160;
const BUTTONS_TEXT_WITH_TITLE_OR_IMAGE_MAX = 60;
const ALT_TEXT_MAX = 400;
const LOCATION_TEXT_MAX = 100;

/**
 * A tapped option's postback data: its id and title as JSON, so the tap reaches Flex with both;
 * the id alone when both do not fit.
 */
export function postbackDataOf(option: RichOption): string {
  return optionPayload(option, POSTBACK_DATA_MAX);
}

function postback(option: RichOption): messagingApi.Action {
  return { type: 'postback', label: cutText(option.title, ACTION_LABEL_MAX), data: postbackDataOf(option), displayText: option.title };
}

function uri(link: RichLink): messagingApi.Action {
  return { type: 'uri', label: cutText(link.title, ACTION_LABEL_MAX), uri: link.kind === 'phone' ? `tel:${link.target}` : link.target };
}

/** A text with quick reply buttons; past LINE's 13 the text lists every option by number, and the first 13 are buttons. */
function withQuickReplies(text: string, options: RichOption[]): messagingApi.Message {
  return {
    type: 'text',
    text,
    quickReply: { items: options.slice(0, QUICK_REPLY_MAX_ITEMS).map((option) => ({ type: 'action', action: postback(option) })) },
  };
}

/** A buttons template, when the actions fit (1 to 4); undefined otherwise. */
function buttons(
  content: RichContent,
  title: string | undefined,
  text: string,
  actions: messagingApi.Action[],
  image?: string,
): messagingApi.Message | undefined {
  if (actions.length < 1 || actions.length > BUTTONS_MAX_ACTIONS) return undefined;
  const thumbnail = image?.startsWith('https://') ? image : undefined;
  return {
    type: 'template',
    altText: cutText(richFallbackText(content), ALT_TEXT_MAX),
    template: {
      type: 'buttons',
      ...(title ? { title: cutText(title, BUTTONS_TITLE_MAX) } : {}),
      text: cutText(text, thumbnail || title ? BUTTONS_TEXT_WITH_TITLE_OR_IMAGE_MAX : BUTTONS_TEXT_MAX),
      ...(thumbnail ? { thumbnailImageUrl: thumbnail } : {}),
      actions,
    },
  };
}

/**
 * A Content template as LINE messages: answers as quick replies, a card or links as a buttons
 * template (when its actions fit, else the text with quick replies), a place as a location message.
 */
export function lineRichMessages(content: RichContent): messagingApi.Message[] {
  const fallback: messagingApi.Message = { type: 'text', text: richFallbackText(content) };
  switch (content.type) {
    case 'quick-reply':
    case 'list-picker': {
      const text = content.options.length > QUICK_REPLY_MAX_ITEMS ? richFallbackText(content) : content.body;
      return [withQuickReplies(text, content.options)];
    }
    case 'call-to-action':
      return [buttons(content, undefined, content.body, content.links.map(uri)) ?? fallback];
    case 'card': {
      const actions = [...content.options.map(postback), ...content.links.map(uri)];
      const card = buttons(content, content.title, content.subtitle ?? content.title, actions, content.media);
      if (card) return [card];
      return [content.options.length > 0 ? withQuickReplies(richFallbackText(content), content.options) : fallback];
    }
    case 'location':
      return [
        {
          type: 'location',
          title: cutText(content.label ?? 'Location', LOCATION_TEXT_MAX),
          address: cutText(content.address ?? mapLink(content.latitude, content.longitude), LOCATION_TEXT_MAX),
          latitude: content.latitude,
          longitude: content.longitude,
        },
      ];
    case 'text':
    case 'media':
      return [fallback];
  }
}
