import { requireSid } from '../flex/flex-gateway.js';
import { unlessNotFound } from '../flex/twilio-errors.js';
import type { TwilioClient } from '../twilio/client.js';
import { externalIdOf, RECENT_MESSAGES_SEARCHED, type ReadHorizons } from './read-horizons.js';

/** Programmable Chat (flex-flow mode): members' `LastConsumedMessageIndex`, the customer's member named by its identity. */
export function createChatReadHorizons(client: TwilioClient, chatServiceSid: string): ReadHorizons {
  const channels = client.chat.v2.services(chatServiceSid).channels;
  return {
    async customerMessageUpTo(channelSid, customerIdentity, index) {
      const recent = await channels(channelSid).messages.list({ order: 'desc', limit: RECENT_MESSAGES_SEARCHED });
      const read = recent.find((message) => message.index <= index && message.from === customerIdentity);
      return read ? externalIdOf(read.attributes) : undefined;
    },
    async markReadByCustomer(session, messageSid) {
      const channel = channels(requireSid(session.resources.conversationSid));
      const message = await unlessNotFound(() => channel.messages(messageSid).fetch());
      if (!message) return 'unknown_message';
      const member = channel.members(session.identity);
      const current = (await member.fetch()).lastConsumedMessageIndex;
      if (current !== null && current >= message.index) return 'unchanged';
      await member.update({ lastConsumedMessageIndex: message.index });
      return 'written';
    },
  };
}
