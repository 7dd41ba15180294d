import assert from 'node:assert/strict';
import type { Harness } from './harness.js';
import { eventually } from './poll.js';
import type { SandboxTask } from './sandbox-control.js';

/** Waits for the task whose attributes point at conversation `sid`. */
export function taskFor(harness: Harness, sid: string): Promise<SandboxTask> {
  return eventually(async () => {
    const tasks = await harness.control.tasks();
    return tasks.find((task) => task.attributes.conversationSid === sid);
  }, `a task for ${sid}`);
}

export async function conversationMessages(harness: Harness, conversationSid: string) {
  const messages = await harness.admin.conversations.v1.conversations(conversationSid).messages.list({ order: 'asc' });
  return messages.map((message) => ({
    author: message.author,
    body: message.body,
    attributes: JSON.parse(message.attributes) as Record<string, unknown>,
  }));
}

/** The customer's active session's Twilio SID, read from the middleware's own store. */
export function activeConversationSid(harness: Harness, customerId: string, channelType = 'chatapp'): Promise<string> {
  return eventually(async () => {
    const session = await harness.middleware.store.findActiveSession(channelType, customerId);
    return session?.state === 'open' ? session.resources.conversationSid : undefined;
  }, `an open session for the customer`);
}

/** Sends a customer's message, which must be accepted (202), and waits for the session it opens: its Twilio SID. */
export async function sendFirstMessage(harness: Harness, message: { id: string; from: { id: string; name: string }; text: string }): Promise<string> {
  assert.equal((await harness.send(message)).status, 202, `message ${message.id} accepted`);
  return activeConversationSid(harness, message.from.id);
}

export function deliveriesOfType(harness: Harness, type: string) {
  return harness.receiver.received.filter((delivery) => delivery.body.type === type);
}

/** A conversation's messages with their media, as Twilio lists them, oldest first. */
export async function messagesWithMedia(harness: Harness, conversationSid: string) {
  const messages = await harness.admin.conversations.v1.conversations(conversationSid).messages.list({ order: 'asc' });
  return messages.map((message) => ({
    body: message.body,
    media: message.media as Array<{ sid: string; content_type: string; filename: string | null; size: number }> | null,
    attributes: JSON.parse(message.attributes) as Record<string, unknown>,
  }));
}

/** The bytes of a conversation's file in the Twilio stand-in's Media Content Service. */
export async function mcsBytes(harness: Harness, conversationSid: string, mediaSid: string): Promise<Buffer> {
  const { chatServiceSid } = await harness.admin.conversations.v1.conversations(conversationSid).fetch();
  const auth = Buffer.from(`${harness.sandbox.accountSid}:${harness.sandbox.authToken}`).toString('base64');
  const response = await fetch(`${harness.sandbox.url}/mcs/v1/Services/${chatServiceSid}/Media/${mediaSid}/Content`, {
    headers: { authorization: `Basic ${auth}` },
  });
  return Buffer.from(await response.arrayBuffer());
}
