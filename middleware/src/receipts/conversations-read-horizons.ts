import { requireSid } from '../flex/flex-gateway.js';
import { unlessNotFound } from '../flex/twilio-errors.js';
import type { TwilioClient } from '../twilio/client.js';
import { externalIdOf, RECENT_MESSAGES_SEARCHED, type ReadHorizons } from './read-horizons.js';

/** Conversations: participants' `LastReadMessageIndex`, the customer's participant named by its identity. */
export function createConversationsReadHorizons(client: TwilioClient, now: () => Date = () => new Date()): ReadHorizons {
  const conversations = client.conversations.v1.conversations;
  return {
    async customerMessageUpTo(conversationSid, customerIdentity, index) {
      const recent = await conversations(conversationSid).messages.list({ order: 'desc', limit: RECENT_MESSAGES_SEARCHED });
      const read = recent.find((message) => message.index <= index && message.author === customerIdentity);
      return read ? externalIdOf(read.attributes) : undefined;
    },
    async markReadByCustomer(session, messageSid) {
      const conversation = conversations(requireSid(session.resources.conversationSid));
      const message = await unlessNotFound(() => conversation.messages(messageSid).fetch());
      if (!message) return 'unknown_message';
      const participant = conversation.participants(session.identity);
      const current = (await participant.fetch()).lastReadMessageIndex;
      if (current !== null && current >= message.index) return 'unchanged';
      await participant.update({ lastReadMessageIndex: message.index, lastReadTimestamp: now().toISOString() });
      return 'written';
    },
  };
}
