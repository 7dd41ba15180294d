import { mapLink, type RichContent, richFallbackText, type RichLink, type RichOption } from '../../rich/rich-content.js';

/**
 * Viber's limits, as its documentation gives them (REST bot API "send_message" and "Keyboards";
 * the README's rich messages section names each page).
 */
/** A keyboard is 6 columns wide and at most 24 rows high: 24 of the kit's buttons, which take a whole row each. */
const KEYBOARD_BUTTONS_MAX = 24;
/** A button's Text as sent, markup included. */
const BUTTON_TEXT_MAX = 250;
const GRID_COLUMNS = 6;
/** The rows of one rich media item (ButtonsGroupRows 1 to 7). */
const ITEM_ROWS_MAX = 7;
/** Rich media Buttons are at most 6 x ButtonsGroupColumns x ButtonsGroupRows: 6 items. */
const CAROUSEL_ITEMS_MAX = 6;
/** creators.viber.com's message data model; the older developers.viber.com page said 4,096. */
const TRACKING_DATA_MAX = 4000;
/** The API version the official SDKs send rich media with. */
const RICH_MEDIA_MIN_API_VERSION = 2;
/** What a list item's or a card's answer button says when the answer is the item above it. */
const CHOOSE = 'Choose';

export interface ViberButton {
  Columns: number;
  Rows: number;
  ActionType: 'reply' | 'open-url' | 'none';
  ActionBody: string;
  Text?: string;
  Image?: string;
}

/** A send_message body's rich part: a text with a keyboard, a rich media carousel, or a place. */
export type ViberRichContent =
  | { type: 'text'; text: string; keyboard?: { Type: 'keyboard'; DefaultHeight: false; Buttons: ViberButton[] }; tracking_data?: string }
  | {
      type: 'rich_media';
      min_api_version: number;
      rich_media: { Type: 'rich_media'; ButtonsGroupColumns: number; ButtonsGroupRows: number; Buttons: ViberButton[] };
      tracking_data?: string;
    }
  | { type: 'location'; location: { lat: number; lon: number } };

/** The kit's tracking_data: the options the customer may tap, so that a tap (which comes back as its text) is known by its title. */
export interface ViberTracking {
  options: Array<{ id: string; title: string }>;
}

/** Viber renders a button's Text as HTML: the template's words are shown as they are. */
const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
const multiline = (text: string) => escapeHtml(text).replaceAll('\n', '<br>');

/**
 * A button's Text within Viber's 250 characters counted on the markup sent: escaping makes a
 * text longer, so a text near the limit is cut further, an ellipsis marking the cut.
 */
function buttonText(text: string, toMarkup: (text: string) => string = escapeHtml): string {
  const whole = toMarkup(text);
  if (whole.length <= BUTTON_TEXT_MAX) return whole;
  const chars = Array.from(text);
  let kept = Math.min(chars.length, BUTTON_TEXT_MAX) - 1;
  for (;;) {
    const markup = toMarkup(`${chars.slice(0, kept).join('')}…`);
    if (markup.length <= BUTTON_TEXT_MAX) return markup;
    kept = Math.max(0, kept - Math.max(1, Math.ceil((markup.length - BUTTON_TEXT_MAX) / 6)));
  }
}

/**
 * The options, for the tap to come back with its id: a reply button sends its ActionBody (the
 * title) as the customer's text, and the message's tracking_data with it. Left out when the
 * options do not fit: the tap then reaches the agent as the text it is.
 */
function trackingOf(options: RichOption[]): { tracking_data?: string } {
  if (options.length === 0) return {};
  const tracking: ViberTracking = { options: options.map(({ id, title }) => ({ id, title })) };
  const data = JSON.stringify(tracking);
  return data.length <= TRACKING_DATA_MAX ? { tracking_data: data } : {};
}

const reply = (option: RichOption, text = option.title, rows = 1): ViberButton => ({
  Columns: GRID_COLUMNS,
  Rows: rows,
  ActionType: 'reply',
  ActionBody: option.title,
  Text: buttonText(text),
});

const openUrl = (link: RichLink): ViberButton => ({
  Columns: GRID_COLUMNS,
  Rows: 1,
  ActionType: 'open-url',
  ActionBody: link.target,
  Text: buttonText(link.title),
});

/** Lines of text in a cell that does nothing when tapped. */
const label = (lines: Array<string | undefined>): ViberButton => ({
  Columns: GRID_COLUMNS,
  Rows: 1,
  ActionType: 'none',
  ActionBody: 'none',
  Text: buttonText(lines.filter(Boolean).join('\n'), multiline),
});

/** A text with a keyboard of these answers and web links; past Viber's 24 buttons the text lists every option by number. */
function withKeyboard(text: string, options: RichOption[], links: RichLink[] = []): ViberRichContent {
  const buttons = [...options.map((option) => reply(option)), ...links.filter((link) => link.kind === 'url').map(openUrl)];
  if (buttons.length === 0) return { type: 'text', text };
  return {
    type: 'text',
    text,
    keyboard: { Type: 'keyboard', DefaultHeight: false, Buttons: buttons.slice(0, KEYBOARD_BUTTONS_MAX) },
    ...trackingOf(options.slice(0, KEYBOARD_BUTTONS_MAX)),
  };
}

/** A carousel of items of `rows` rows each, one item per group of buttons. */
function carousel(items: ViberButton[][], rows: number, options: RichOption[]): ViberRichContent {
  return {
    type: 'rich_media',
    min_api_version: RICH_MEDIA_MIN_API_VERSION,
    rich_media: { Type: 'rich_media', ButtonsGroupColumns: GRID_COLUMNS, ButtonsGroupRows: rows, Buttons: items.flat() },
    ...trackingOf(options),
  };
}

const phoneLines = (links: RichLink[]) => links.filter((link) => link.kind === 'phone').map((link) => `${link.title}: ${link.target}`);

/**
 * A Content template as send_message bodies: answers and links as a keyboard under the text, a
 * list as a carousel of its items, a card as a rich media item, a place as a location (its name
 * in a text before it). What does not fit Viber's limits is the text every channel falls back
 * to, with a keyboard of the options.
 */
export function viberRichContents(content: RichContent): ViberRichContent[] {
  const fallback = (options: RichOption[]) => [withKeyboard(richFallbackText(content), options)];
  switch (content.type) {
    case 'quick-reply':
      return content.options.length > KEYBOARD_BUTTONS_MAX ? fallback(content.options) : [withKeyboard(content.body, content.options)];
    case 'list-picker': {
      if (content.options.length > CAROUSEL_ITEMS_MAX) return fallback(content.options);
      const items = content.options.map((option) => [label([option.title, option.description]), reply(option, CHOOSE)]);
      return [{ type: 'text', text: content.body }, carousel(items, 2, content.options)];
    }
    case 'call-to-action':
      return [withKeyboard([content.body, ...phoneLines(content.links)].join('\n'), [], content.links)];
    case 'card': {
      const text = [content.title, content.subtitle, ...phoneLines(content.links)];
      const buttons = [...content.options.map((option) => reply(option)), ...content.links.filter((link) => link.kind === 'url').map(openUrl)];
      const image: ViberButton[] = content.media ? [{ Columns: GRID_COLUMNS, Rows: 3, ActionType: 'none', ActionBody: 'none', Image: content.media }] : [];
      const rows = image.length * 3 + 1 + buttons.length;
      if (buttons.length === 0 || rows > ITEM_ROWS_MAX) return fallback(content.options);
      return [carousel([[...image, label(text), ...buttons]], rows, content.options)];
    }
    case 'location': {
      const named = [content.label, content.address].filter(Boolean).join('\n');
      const place: ViberRichContent = { type: 'location', location: { lat: content.latitude, lon: content.longitude } };
      return named ? [{ type: 'text', text: `${named}\n${mapLink(content.latitude, content.longitude)}` }, place] : [place];
    }
    case 'text':
    case 'media':
      return [{ type: 'text', text: richFallbackText(content) }];
  }
}
