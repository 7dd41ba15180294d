import { buildTaskAttributes, CHAT_TASK_CHANNEL } from '@custom-channels/contract';
import type { RoutingConfig } from '../config/config.js';
import type { TwilioClient } from '../twilio/client.js';
import { type FlexGateway, messagePosts, requireSid, sessionChecks } from './flex-gateway.js';
import { ignoringNotFound, unlessNotFound } from './twilio-errors.js';

/** Conversation-scoped webhook events the middleware listens to: messages, the conversation closing, agents joining and reading. */
export const CONVERSATION_WEBHOOK_FILTERS = [
  'onMessageAdded',
  'onConversationUpdated',
  'onConversationStateUpdated',
  'onParticipantAdded',
  'onParticipantUpdated',
];

export interface ConversationsGatewayOptions {
  client: TwilioClient;
  routing: RoutingConfig;
  /** ISO 8601 duration after which Twilio closes an idle conversation. */
  closedTimer: string;
  /** Where the conversation's scoped webhook calls back (POST /twilio/conversations). */
  webhookUrl: string;
}

/** FLEX_MODE=conversations: one Conversation per session, routed by the Interactions API or a Studio flow. */
export function createConversationsGateway(options: ConversationsGatewayOptions): FlexGateway {
  const { client, routing, closedTimer, webhookUrl } = options;
  const conversations = client.conversations.v1.conversations;
  // A conversation's service never changes: asked once per conversation, kept while it is open.
  const serviceSids = new Map<string, string>();
  let defaultServiceSid: Promise<string> | undefined;

  const closeInteractionChannel = (interactionSid: string, channelSid: string) =>
    ignoringNotFound(() => client.flexApi.v1.interaction(interactionSid).channels(channelSid).update({ status: 'closed' }));

  /** The conversation created under this unique name (the session id), if any. */
  const conversationSidOf = async (uniqueName: string): Promise<string | undefined> => (await unlessNotFound(() => conversations(uniqueName).fetch()))?.sid;

  /** Closes the interaction channel of every task routed for this conversation. */
  const closeInteractionsRouting = async (workspaceSid: string, conversationSid: string): Promise<void> => {
    const tasks = await client.taskrouter.v1.workspaces(workspaceSid).tasks.list({
      evaluateTaskAttributes: `conversationSid == "${conversationSid}"`,
      limit: 20,
    });
    for (const task of tasks) {
      const { flexInteractionSid, flexInteractionChannelSid } = JSON.parse(task.attributes) as {
        flexInteractionSid?: string;
        flexInteractionChannelSid?: string;
      };
      if (flexInteractionSid && flexInteractionChannelSid) await closeInteractionChannel(flexInteractionSid, flexInteractionChannelSid);
    }
  };

  return {
    mode: 'conversations',

    async openSession(session, channel, record) {
      const customer = { channelType: session.channelType, customerName: session.customerName, channelDisplayName: channel.displayName };
      const conversation = await conversations.create({
        // The session id as unique name: a creation whose answer was lost can still be found and undone.
        uniqueName: session.id,
        friendlyName: `${channel.displayName}: ${session.customerName}`,
        attributes: JSON.stringify(buildTaskAttributes(customer)),
        'timers.closed': closedTimer,
      });
      await record({ conversationSid: conversation.sid });
      const scoped = conversations(conversation.sid);
      await scoped.participants.create({
        identity: session.identity,
        attributes: JSON.stringify({ name: session.customerName }),
      });
      await scoped.webhooks.create({
        target: 'webhook',
        'configuration.url': webhookUrl,
        'configuration.method': 'post',
        'configuration.filters': CONVERSATION_WEBHOOK_FILTERS,
      });
      if (routing.kind === 'studio') {
        // The flow's "Send to Flex" widget creates the task when the first message arrives.
        await scoped.webhooks.create({ target: 'studio', 'configuration.flowSid': routing.flowSid });
        return;
      }
      const interaction = await client.flexApi.v1.interaction.create({
        channel: { type: 'chat', initiated_by: 'customer', properties: { media_channel_sid: conversation.sid } },
        routing: {
          properties: {
            workspace_sid: routing.workspaceSid,
            workflow_sid: routing.workflowSid,
            task_channel_unique_name: CHAT_TASK_CHANNEL,
            attributes: buildTaskAttributes({ ...customer, conversationSid: conversation.sid }),
          },
        },
      });
      await record({
        interactionSid: interaction.sid,
        interactionChannelSid: (interaction.channel as { sid?: string } | null)?.sid,
      });
    },

    async discardSession(session) {
      const { interactionSid, interactionChannelSid } = session.resources;
      if (interactionSid && interactionChannelSid) {
        await closeInteractionChannel(interactionSid, interactionChannelSid);
      } else if (routing.kind === 'interactions') {
        // The interaction may exist without having been recorded (a crash, or a lost answer):
        // its task names the conversation, so close whatever task routed it.
        const conversationSid = session.resources.conversationSid ?? (await conversationSidOf(session.id));
        if (conversationSid) await closeInteractionsRouting(routing.workspaceSid, conversationSid);
      }
      await ignoringNotFound(() => conversations(session.resources.conversationSid ?? session.id).remove());
    },

    ...messagePosts((sid, message) => conversations(sid).messages.create(message)),

    async mediaServiceSid(session) {
      const sid = requireSid(session.resources.conversationSid);
      const known = serviceSids.get(sid);
      if (known) return known;
      const { chatServiceSid } = await conversations(sid).fetch();
      if (serviceSids.size >= 10_000) serviceSids.clear();
      serviceSids.set(sid, chatServiceSid);
      return chatServiceSid;
    },

    async uploadServiceSid() {
      // New conversations are created in the account's default Conversations service.
      defaultServiceSid ??= client.conversations.v1
        .configuration()
        .fetch()
        .then((configuration) => configuration.defaultChatServiceSid)
        .catch((error: unknown) => {
          defaultServiceSid = undefined;
          throw error;
        });
      return defaultServiceSid;
    },

    ...sessionChecks(conversations, (conversation) => conversation.state !== 'closed'),
  };
}
