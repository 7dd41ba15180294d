/** How many sent messages are remembered for Viber's `seen` callbacks; older ones are forgotten first. */
export const SENT_TOKENS_REMEMBERED = 10_000;

/**
 * Viber's `seen` names the message by the token send_message gave, while the read horizon
 * is moved by the Twilio message it came from: the adapter notes each token, the webhook
 * looks it up. Kept in memory: a `seen` after a restart, or for a message sent by another
 * instance, is not shown, as reads are best effort everywhere in the kit.
 */
export function createSentTokens(limit = SENT_TOKENS_REMEMBERED) {
  const messageOf = new Map<string, string>();
  return {
    note(messageToken: string, twilioMessageSid: string): void {
      messageOf.delete(messageToken);
      messageOf.set(messageToken, twilioMessageSid);
      if (messageOf.size > limit) messageOf.delete(messageOf.keys().next().value!);
    },
    messageOf: (messageToken: string): string | undefined => messageOf.get(messageToken),
  };
}

export type SentTokens = ReturnType<typeof createSentTokens>;
