import type { RoutingConfig } from '../config/config.js';
import type { TwilioClient } from '../twilio/client.js';
import { type FlexGateway, messagePosts, requireSid, sessionChecks } from './flex-gateway.js';
import { ignoringNotFound, unlessNotFound } from './twilio-errors.js';
import { createConversationOpener } from './conversation-opening.js';

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

    resumesCreation: true,

    openSession: createConversationOpener({ client, routing, closedTimer, webhookUrl }),

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
