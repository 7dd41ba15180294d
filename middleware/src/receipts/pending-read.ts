import type { PendingReadEvent, ReadEvent } from '../delivery/channel-events.js';
import type { ReadHorizons } from './read-horizons.js';

/** The read event for the channel: the agent's horizon as the id of the customer's message it reached; none when it reached none. */
export async function resolvePendingRead(horizons: ReadHorizons, event: PendingReadEvent): Promise<ReadEvent | undefined> {
  const upTo = await horizons.customerMessageUpTo(event.conversationSid, event.customerIdentity, event.upToIndex);
  if (upTo === undefined) return undefined;
  return { type: 'read', id: event.id, conversationSid: event.conversationSid, to: event.to, upTo };
}
