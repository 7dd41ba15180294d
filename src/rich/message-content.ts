import type { AgentApi, ContentReference, RichContent } from './api';

/** What the plugin reads of a Conversations message (Flex's `message.source`). */
export interface MessageSource {
  contentSid?: string | null;
  attributes?: unknown;
}

/** What a customer's tap carries in the message attributes (the middleware's `selection`). */
export interface Selection {
  id: string;
  title: string;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The SDK parses a message's attributes; a JSON string is read too. */
function attributesOf(source: MessageSource): Record<string, unknown> {
  if (isObject(source.attributes)) return source.attributes;
  if (typeof source.attributes !== 'string') return {};
  try {
    const parsed: unknown = JSON.parse(source.attributes);
    return isObject(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

/**
 * The template a message was posted with and its variables (attribute `contentVariables`, an
 * object or a JSON string of strings, as the middleware and bots write it); undefined for a plain message.
 */
export function contentReferenceOf(source: MessageSource): ContentReference | undefined {
  if (typeof source.contentSid !== 'string' || !/^HX[0-9a-fA-F]{32}$/.test(source.contentSid)) return undefined;
  let given: unknown = attributesOf(source).contentVariables;
  try {
    if (typeof given === 'string') given = JSON.parse(given);
  } catch {
    given = undefined;
  }
  const variables = isObject(given) ? Object.fromEntries(Object.entries(given).filter((entry): entry is [string, string] => typeof entry[1] === 'string')) : {};
  return { contentSid: source.contentSid, variables };
}

/** The option a customer tapped, when the message's attributes carry it. */
export function selectionOf(source: MessageSource): Selection | undefined {
  const selection = attributesOf(source).selection;
  if (!isObject(selection) || typeof selection.title !== 'string' || selection.title === '') return undefined;
  return { id: typeof selection.id === 'string' ? selection.id : selection.title, title: selection.title };
}

/** Renders through the middleware once per template and variables; a failure is asked again next time. */
export function cachedRender(api: Pick<AgentApi, 'render'>, maxEntries = 200): (reference: ContentReference) => Promise<RichContent> {
  const cache = new Map<string, Promise<RichContent>>();
  return (reference) => {
    const key = JSON.stringify([reference.contentSid, Object.entries(reference.variables).sort()]);
    const cached = cache.get(key);
    if (cached) return cached;
    if (cache.size >= maxEntries) cache.delete(cache.keys().next().value as string);
    const rendered = api.render(reference);
    cache.set(key, rendered);
    rendered.catch(() => cache.delete(key));
    return rendered;
  };
}
