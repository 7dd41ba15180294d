/** What the channel receives, whatever the adapter: an agent's (or bot's) message, or the end of the conversation. */
export type ChannelEvent =
  | {
      type: 'message';
      /** The Twilio message SID: stable across redeliveries, so the channel can drop duplicates. */
      id: string;
      conversationSid: string;
      to: { id: string };
      /** The agent's (or bot's) identity in Flex. */
      author: string;
      text: string;
    }
  | {
      type: 'ended';
      id: string;
      conversationSid: string;
      to: { id: string };
    };

/** A `to-channel` outbox entry: the event and the channel it is for. */
export interface DeliveryPayload {
  channelType: string;
  event: ChannelEvent;
}
