import { buildTaskAttributes } from '@custom-channels/contract';
import type { TwilioClient } from '../twilio/client.js';
import { isInactive } from '../twilio/chat-channel.js';
import { type FlexGateway, messagePosts, sessionChecks } from './flex-gateway.js';
import { ignoringNotFound } from './twilio-errors.js';

/** Chat channel webhook events: messages, the channel turning INACTIVE when the agent ends the chat, agents joining and reading. */
export const CHAT_WEBHOOK_FILTERS = ['onMessageSent', 'onChannelUpdated', 'onMemberAdded', 'onMemberUpdated'];

export interface FlexFlowGatewayOptions {
  client: TwilioClient;
  flexFlowSid: string;
  chatServiceSid: string;
  /** Where the channel webhook calls back (POST /twilio/chat). */
  webhookUrl: string;
}

/** FLEX_MODE=flex-flow: the original pattern, a Programmable Chat channel created through a Flex Flow. */
export function createFlexFlowGateway(options: FlexFlowGatewayOptions): FlexGateway {
  const { client, flexFlowSid, chatServiceSid, webhookUrl } = options;
  const channels = client.chat.v2.services(chatServiceSid).channels;

  return {
    mode: 'flex-flow',

    async openSession(session, channel, record) {
      const flexChannel = await client.flexApi.v1.channel.create({
        flexFlowSid,
        identity: session.identity,
        chatUserFriendlyName: session.customerName,
        chatFriendlyName: `${channel.displayName}: ${session.customerName}`,
        // The session id as unique name: a creation whose answer was lost can still be found and undone.
        chatUniqueName: session.id,
        // The session id links the tasks of this chat in Insights: the channel SID is not known yet.
        taskAttributes: JSON.stringify(
          buildTaskAttributes({
            channelType: session.channelType,
            customerName: session.customerName,
            channelDisplayName: channel.displayName,
            conversationId: session.id,
          }),
        ),
      });
      await record({ conversationSid: flexChannel.sid, taskSid: flexChannel.taskSid ?? undefined });
      await channels(flexChannel.sid).webhooks.create({
        type: 'webhook',
        'configuration.url': webhookUrl,
        'configuration.method': 'POST',
        'configuration.filters': CHAT_WEBHOOK_FILTERS,
      });
    },

    async discardSession(session) {
      await ignoringNotFound(() => channels(session.resources.conversationSid ?? session.id).remove());
    },

    ...messagePosts((sid, { author, ...message }) => channels(sid).messages.create({ from: author, ...message })),

    mediaServiceSid: async () => chatServiceSid,
    uploadServiceSid: async () => chatServiceSid,

    ...sessionChecks(channels, (chatChannel) => !isInactive(chatChannel.attributes)),
  };
}
