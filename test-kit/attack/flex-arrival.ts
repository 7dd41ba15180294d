/** When a customer's message reaches Flex: read from the stand-in's Conversations API, as an agent would see it. */
import type { TwilioClient } from '@custom-channels/middleware';
import { sleep } from './measure.js';

/** The conversation holding a message with this body, looking through every conversation (a scenario's first few). */
export async function conversationWith(admin: TwilioClient, body: string): Promise<string | undefined> {
  for (const conversation of await admin.conversations.v1.conversations.list({ limit: 100 })) {
    const messages = await admin.conversations.v1.conversations(conversation.sid).messages.list({ limit: 100 });
    if (messages.some((message) => message.body === body)) return conversation.sid;
  }
  return undefined;
}

/** Waits for a message with this body in any conversation: its conversation, or undefined after `timeoutMs`. */
export async function waitForConversationWith(admin: TwilioClient, body: string, timeoutMs: number): Promise<string | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const sid = await conversationWith(admin, body);
    if (sid || Date.now() > deadline) return sid;
    await sleep(100);
  }
}

/**
 * How long after `sentAt` (performance.now()) a message with this body appeared in the
 * conversation, in ms, looking every 25 ms; undefined if it had not after `timeoutMs`.
 */
export async function arrivalDelay(admin: TwilioClient, conversationSid: string, body: string, sentAt: number, timeoutMs: number): Promise<number | undefined> {
  const deadline = sentAt + timeoutMs;
  for (;;) {
    const latest = await admin.conversations.v1.conversations(conversationSid).messages.list({ order: 'desc', limit: 20 });
    if (latest.some((message) => message.body === body)) return performance.now() - sentAt;
    if (performance.now() > deadline) return undefined;
    await sleep(25);
  }
}
