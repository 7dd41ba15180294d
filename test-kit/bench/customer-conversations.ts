import type { TwilioClient } from '@custom-channels/middleware';
import { pool } from './pool.js';

export interface CustomerConversation {
  sid: string;
  identity: string;
}

/**
 * One conversation per customer as the middleware sets it up: the customer as participant and
 * a scoped `onMessageAdded` webhook to `webhookUrl`, so the stand-in does the same work per
 * message whoever posts. In customer order.
 */
export async function openCustomerConversations(client: TwilioClient, customers: number, webhookUrl: string): Promise<CustomerConversation[]> {
  const opened: CustomerConversation[] = [];
  await pool(customers, 50, async (customer) => {
    const identity = `chatapp_${customer}`;
    const conversation = await client.conversations.v1.conversations.create({ friendlyName: `Customer ${customer}` });
    await client.conversations.v1.conversations(conversation.sid).participants.create({ identity });
    await client.conversations.v1.conversations(conversation.sid).webhooks.create({
      target: 'webhook',
      'configuration.url': webhookUrl,
      'configuration.method': 'post',
      'configuration.filters': ['onMessageAdded'],
    });
    opened[customer] = { sid: conversation.sid, identity };
  });
  return opened;
}
