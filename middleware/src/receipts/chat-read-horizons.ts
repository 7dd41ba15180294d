import { unlessNotFound } from '../flex/twilio-errors.js';
import type { TwilioClient } from '../twilio/client.js';
import { createReadHorizons, type ReadHorizons } from './read-horizons.js';

/** Programmable Chat (flex-flow mode): members' `LastConsumedMessageIndex`, the customer's member named by its identity. */
export function createChatReadHorizons(client: TwilioClient, chatServiceSid: string): ReadHorizons {
  const channels = client.chat.v2.services(chatServiceSid).channels;
  return createReadHorizons({
    recentMessages: async (sid, limit) =>
      (await channels(sid).messages.list({ order: 'desc', limit })).map(({ index, from, attributes }) => ({ index, author: from, attributes })),
    messageIndex: async (sid, messageSid) => (await unlessNotFound(() => channels(sid).messages(messageSid).fetch()))?.index,
    readIndex: async (sid, identity) => (await channels(sid).members(identity).fetch()).lastConsumedMessageIndex,
    writeReadIndex: async (sid, identity, index) => {
      await channels(sid).members(identity).update({ lastConsumedMessageIndex: index });
    },
  });
}
