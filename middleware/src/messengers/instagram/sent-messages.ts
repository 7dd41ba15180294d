/** How many sent messages are remembered per process for the customers' reads. */
export const SENT_MESSAGES_KEPT = 10_000;

/**
 * Which agent message each Instagram message id was sent for, so that the customer's read
 * (`read.mid`, Instagram's id) can move their read horizon in Twilio (the Twilio message SID).
 * Kept in memory, the most recent only: reads are best effort, and a read of a message this
 * process did not send, or no longer remembers, is answered and dropped.
 */
export function createSentMessages(maxEntries = SENT_MESSAGES_KEPT) {
  const sids = new Map<string, string>();
  return {
    remember(channelType: string, instagramMessageId: string, messageSid: string): void {
      const key = `${channelType}:${instagramMessageId}`;
      sids.delete(key);
      if (sids.size >= maxEntries) sids.delete(sids.keys().next().value!);
      sids.set(key, messageSid);
    },
    messageSidOf(channelType: string, instagramMessageId: string): string | undefined {
      return sids.get(`${channelType}:${instagramMessageId}`);
    },
  };
}

export type SentMessages = ReturnType<typeof createSentMessages>;
