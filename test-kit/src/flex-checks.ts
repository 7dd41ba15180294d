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
