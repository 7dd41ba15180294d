import { mapLink } from './rich-content.js';

/**
 * What a customer's tap or share becomes in Flex: a text the agent reads as it is, and the
 * structured value in the message attributes, where a Studio bot or a Flex customisation
 * branches on it (`selection.id`, `location.latitude`, ...).
 */
export interface CustomerReply {
  text: string;
  attributes: Record<string, unknown>;
}

/** A button or list item the customer tapped; `id` is the option's id in the template. */
export function selectionReply(option: { id: string; title: string }, source: 'button' | 'list' | 'postback' = 'button'): CustomerReply {
  return { text: `Selected: ${option.title}`, attributes: { selection: { id: option.id, title: option.title, source } } };
}

/**
 * What a platform's button carries back when tapped: the option's id and title as JSON, so the
 * tap reaches Flex with both; the id alone when both do not fit the platform's limit.
 */
export function optionPayload(option: { id: string; title: string }, maxLength: number): string {
  const both = JSON.stringify({ id: option.id, title: option.title });
  return both.length <= maxLength ? both : JSON.stringify({ id: option.id }).slice(0, maxLength);
}

/** A tapped button's payload as the selection: the kit's own (`optionPayload`), else the payload is the value, titled `title` if given. */
export function payloadSelection(payload: string, source: 'button' | 'list' | 'postback', title?: string): CustomerReply {
  try {
    const parsed = JSON.parse(payload) as { id?: unknown; title?: unknown } | null;
    if (typeof parsed?.id === 'string')
      return selectionReply({ id: parsed.id, title: typeof parsed.title === 'string' ? parsed.title : (title ?? parsed.id) }, source);
  } catch {
    // Not one of the kit's buttons: the payload is the value.
  }
  return selectionReply({ id: payload, title: title ?? payload }, source);
}

/** A place the customer shared: its label if any, and a map link with the coordinates. */
export function locationReply(place: { latitude: number; longitude: number; label?: string; address?: string }): CustomerReply {
  const named = [place.label, place.address].filter(Boolean).join(', ');
  return {
    text: `Shared a location${named ? `: ${named}` : ''}\n${mapLink(place.latitude, place.longitude)}`,
    attributes: {
      location: {
        latitude: place.latitude,
        longitude: place.longitude,
        ...(place.label ? { label: place.label } : {}),
        ...(place.address ? { address: place.address } : {}),
      },
    },
  };
}

/** A contact card the customer shared. */
export function contactReply(contact: { name?: string; phone?: string }): CustomerReply {
  return {
    text: `Shared a contact${contact.name ? `: ${contact.name}` : ''}${contact.phone ? ` (${contact.phone})` : ''}`,
    attributes: { contact: { ...(contact.name ? { name: contact.name } : {}), ...(contact.phone ? { phone: contact.phone } : {}) } },
  };
}
