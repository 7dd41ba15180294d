import type { Sandbox } from '@custom-channels/twilio-sandbox';
import { twilioClientFor } from '@custom-channels/twilio-sandbox/twilio-client';

/** The demo's example rich message: the web chat offers it to agents (channels.json `contentTemplates`). */
export const DEMO_TEMPLATE_NAME = 'pick_a_topic';

/** Creates the example template in the stand-in's Content API, as an account's own would be made in the Console. */
export async function createDemoTemplates(sandbox: Sandbox): Promise<void> {
  await twilioClientFor(sandbox).content.v1.contents.create({
    friendly_name: DEMO_TEMPLATE_NAME,
    language: 'en',
    variables: { 1: 'there' },
    types: {
      'twilio/quick-reply': {
        body: 'Hi {{1}}, what can we help you with?',
        actions: [
          { title: 'Billing', id: 'topic_billing' },
          { title: 'Delivery', id: 'topic_delivery' },
          { title: 'Returns', id: 'topic_returns' },
        ],
      },
    },
  } as never);
}
