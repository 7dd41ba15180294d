/**
 * Where the middleware writes whether the customer is connected, in the task attributes:
 * `online` or `offline` for channels whose connection it holds (web chat); absent for
 * messengers, whose presence it cannot know.
 */
export const CUSTOMER_PRESENCE_ATTRIBUTE = 'customerPresence';

export type CustomerPresence = 'online' | 'offline' | 'unknown';

/** The customer's presence as the middleware last wrote it on the task. */
export function customerPresenceOf(task: { attributes?: unknown } | undefined): CustomerPresence {
  const attributes = task?.attributes as Record<string, unknown> | undefined;
  const value = attributes?.[CUSTOMER_PRESENCE_ATTRIBUTE];
  return value === 'online' || value === 'offline' ? value : 'unknown';
}
