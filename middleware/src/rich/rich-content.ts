import type { RichContent, RichLink, RichOption } from '@custom-channels/contract';

export type { RichContent, RichLink, RichOption } from '@custom-channels/contract';

export type RichType = RichContent['type'];

/** The types a template may hold, richest first: a template with several is shown as its richest. */
const TYPE_PREFERENCE: readonly RichType[] = ['card', 'list-picker', 'quick-reply', 'call-to-action', 'location', 'media', 'text'];

export type Variables = Record<string, string>;

/** `{{1}}`, `{{name}}`: the given value, else the template's default, else left as it is. */
export function fillVariables(text: string, variables: Variables): string {
  return text.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (whole, name: string) => (Object.hasOwn(variables, name) ? variables[name]! : whole));
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined;
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * The template's content for a message, or undefined when it holds no type the kit renders
 * (a WhatsApp-only type, say). `defaults` are the template's own variables, `given` the message's.
 */
export function richContentOf(types: Record<string, unknown>, defaults: Variables, given: Variables): RichContent | undefined {
  const variables = { ...defaults, ...given };
  const fill = (v: unknown): string | undefined => {
    const text = str(v);
    return text === undefined ? undefined : fillVariables(text, variables);
  };
  for (const type of TYPE_PREFERENCE) {
    const fields = types[`twilio/${type}`];
    if (!isObject(fields)) continue;
    const content = readType(type, fields, fill);
    if (content) return content;
  }
  return undefined;
}

type Fill = (v: unknown) => string | undefined;

function readType(type: RichType, f: Record<string, unknown>, fill: Fill): RichContent | undefined {
  switch (type) {
    case 'text': {
      const body = fill(f.body);
      return body === undefined ? undefined : { type, body };
    }
    case 'media': {
      const media = list(f.media)
        .map(fill)
        .filter((u): u is string => u !== undefined);
      const body = fill(f.body);
      return media.length === 0 ? undefined : { type, media, ...(body ? { body } : {}) };
    }
    case 'quick-reply': {
      const body = fill(f.body);
      const options = optionsOf(list(f.actions), fill, 'title', 'id');
      return body === undefined || options.length === 0 ? undefined : { type, body, options };
    }
    case 'list-picker': {
      const body = fill(f.body);
      const options = optionsOf(list(f.items), fill, 'item', 'id');
      return body === undefined || options.length === 0 ? undefined : { type, body, button: fill(f.button) ?? 'Options', options };
    }
    case 'call-to-action': {
      const body = fill(f.body);
      const links = linksOf(list(f.actions), fill);
      return body === undefined || links.length === 0 ? undefined : { type, body, links };
    }
    case 'card': {
      const title = fill(f.title);
      if (title === undefined) return undefined;
      const subtitle = fill(f.subtitle);
      const media = list(f.media)
        .map(fill)
        .find((u) => u !== undefined);
      const actions = list(f.actions);
      const replies = actions.filter((a) => isObject(a) && a.type === 'QUICK_REPLY');
      return {
        type,
        title,
        ...(subtitle ? { subtitle } : {}),
        ...(media ? { media } : {}),
        options: optionsOf(replies, fill, 'title', 'id'),
        links: linksOf(actions, fill),
      };
    }
    case 'location': {
      const latitude = num(f.latitude);
      const longitude = num(f.longitude);
      if (latitude === undefined || longitude === undefined) return undefined;
      const label = fill(f.label);
      const address = fill(f.address);
      return { type, latitude, longitude, ...(label ? { label } : {}), ...(address ? { address } : {}) };
    }
  }
}

/** Buttons that answer: a button without an id answers with its title. */
function optionsOf(items: unknown[], fill: Fill, titleKey: string, idKey: string): RichOption[] {
  return items.flatMap((item) => {
    if (!isObject(item)) return [];
    const title = fill(item[titleKey]);
    if (title === undefined) return [];
    const description = fill(item.description);
    return [{ id: fill(item[idKey]) ?? title, title, ...(description ? { description } : {}) }];
  });
}

function linksOf(actions: unknown[], fill: Fill): RichLink[] {
  return actions.flatMap((a): RichLink[] => {
    if (!isObject(a)) return [];
    const title = fill(a.title);
    const url = fill(a.url);
    const phone = fill(a.phone);
    if (title === undefined) return [];
    if (a.type === 'URL' && url) return [{ kind: 'url', title, target: url }];
    if (a.type === 'PHONE_NUMBER' && phone) return [{ kind: 'phone', title, target: phone }];
    return [];
  });
}

/** A map link anyone can open, for a place shown as text. */
export function mapLink(latitude: number, longitude: number): string {
  return `https://www.openstreetmap.org/?mlat=${latitude}&mlon=${longitude}#map=17/${latitude}/${longitude}`;
}

/**
 * The content as plain text: what a channel that shows only text gets, and what every channel
 * falls back to. Options become a numbered list the customer can answer with a number or a word.
 */
export function richFallbackText(content: RichContent): string {
  const numbered = (options: RichOption[]) => options.map((o, i) => `${i + 1}. ${o.title}${o.description ? ` (${o.description})` : ''}`);
  const links = (items: RichLink[]) => items.map((l) => `${l.title}: ${l.kind === 'phone' ? `tel:${l.target}` : l.target}`);
  switch (content.type) {
    case 'text':
      return content.body;
    case 'media':
      return [content.body, ...content.media].filter(Boolean).join('\n');
    case 'quick-reply':
      return [content.body, ...numbered(content.options)].join('\n');
    case 'list-picker':
      return [content.body, `${content.button}:`, ...numbered(content.options)].join('\n');
    case 'call-to-action':
      return [content.body, ...links(content.links)].join('\n');
    case 'card':
      return [content.title, content.subtitle, content.media, ...numbered(content.options), ...links(content.links)].filter(Boolean).join('\n');
    case 'location':
      return [content.label, content.address, mapLink(content.latitude, content.longitude)].filter(Boolean).join('\n');
  }
}

/** The text within `max` characters (code points, as the platforms count them), an ellipsis marking a cut. */
export function cutText(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
