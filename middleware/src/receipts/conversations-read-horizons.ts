import { unlessNotFound } from '../flex/twilio-errors.js';
import type { TwilioClient } from '../twilio/client.js';
import { createReadHorizons, type ReadHorizons } from './read-horizons.js';

/** Conversations: participants' `LastReadMessageIndex`, the customer's participant named by its identity. */
export function createConversationsReadHorizons(client: TwilioClient, now: () => Date = () => new Date()): ReadHorizons {
  const conversations = client.conversations.v1.conversations;
  return createReadHorizons({
    recentMessages: async (sid, limit) => conversations(sid).messages.list({ order: 'desc', limit }),
    messageIndex: async (sid, messageSid) => (await unlessNotFound(() => conversations(sid).messages(messageSid).fetch()))?.index,
    readIndex: async (sid, identity) => (await conversations(sid).participants(identity).fetch()).lastReadMessageIndex,
    writeReadIndex: async (sid, identity, index) => {
      await conversations(sid).participants(identity).update({ lastReadMessageIndex: index, lastReadTimestamp: now().toISOString() });
    },
  });
}
