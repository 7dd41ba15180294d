import { externalIdOf } from '../receipts/read-horizons.js';
import type { MiddlewareConfig, RoutingConfig } from '../config/config.js';
import { TWILIO_WEBHOOK_PATHS } from '../http/twilio-routes.js';
import { probes } from '../observability/probes.js';
import type { Session } from '../store/store.js';
import type { TwilioClient } from '../twilio/client.js';
import { buildTaskAttributes, CHAT_TASK_CHANNEL } from '@custom-channels/contract';
import { type FlexGateway, messageAttributes, requireSid, SYSTEM_AUTHOR, systemNoticeAttributes } from './flex-gateway.js';
import { ignoringNotFound, unlessNotFound } from './twilio-errors.js';
import { createConversationOpener } from './conversation-opening.js';
import { CONTENT_VARIABLES_ATTRIBUTE } from '../rich/content-reference.js';
import { mergeTaskInsights } from './task-insights.js';

export interface ConversationsGatewayOptions {
  client: TwilioClient;
  routing: RoutingConfig;
  /** ISO 8601 duration after which Twilio closes an idle conversation. */
  closedTimer: string;
  /** Where the conversation's scoped webhook calls back (POST /twilio/conversations). */
  webhookUrl: string;
  /** The clock behind the customer's `LastReadTimestamp`. */
  now?: () => Date;
  /** New web chat tasks start with the visitor online (the middleware then keeps their presence up to date). */
  webchatPresence?: boolean;
}

/** The part of an interaction channel invite this gateway reads. */
interface InviteRouting {
  properties?: { worker_sid?: string };
}

/** How far back `wasPosted` looks: more than the messages of one customer that can be in flight. */
const RECENT_MESSAGES_CHECKED = 50;

/** How many conversations' service and customer participant SIDs are kept before the caches start over. */
const CACHED_CONVERSATIONS = 10_000;

interface MessagePost {
  author: string;
  body?: string;
  mediaSid?: string;
  attributes: string;
  xTwilioWebhookEnabled?: 'true';
}

/** The gateway of a configured middleware, its webhook at the public URL. */
export function createGatewayFor(
  config: Pick<MiddlewareConfig, 'flex' | 'publicBaseUrl'>,
  client: TwilioClient,
  options: { webchatPresence?: boolean } = {},
): FlexGateway {
  return createConversationsGateway({ client, ...config.flex, ...options, webhookUrl: `${config.publicBaseUrl}${TWILIO_WEBHOOK_PATHS.conversations}` });
}

/** One Conversation per session, routed by the Interactions API or a Studio flow. */
export function createConversationsGateway(options: ConversationsGatewayOptions): FlexGateway {
  const { client, routing, closedTimer, webhookUrl, webchatPresence, now = () => new Date() } = options;
  const conversations = client.conversations.v1.conversations;
  // A conversation's service and its customer's participant never change: asked once per conversation.
  const serviceSids = new Map<string, string>();
  const customerParticipantSids = new Map<string, string>();
  let defaultServiceSid: Promise<string> | undefined;

  const remember = (cache: Map<string, string>, key: string, value: string): string => {
    if (cache.size >= CACHED_CONVERSATIONS) cache.clear();
    cache.set(key, value);
    return value;
  };

  const post = async (session: Session, message: MessagePost) => {
    await conversations(requireSid(session.resources.conversationSid)).messages.create(message);
  };

  /** The customer's participant: Twilio fetches it by identity, but updates it only by its SID (MB...), remembered from the fetch. */
  const customerParticipant = async (session: Session) => {
    const conversationSid = requireSid(session.resources.conversationSid);
    const participant = await conversations(conversationSid).participants(session.identity).fetch();
    remember(customerParticipantSids, conversationSid, participant.sid);
    return participant;
  };

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
    openSession: createConversationOpener({ client, routing, closedTimer, webhookUrl, webchatPresence }),

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

    async postCustomerMessage(session, message) {
      if (probes.messagePosting.hasSubscribers) probes.messagePosting.publish({ externalId: message.externalId });
      await post(session, {
        author: session.identity,
        body: message.text,
        attributes: messageAttributes(session, message),
        xTwilioWebhookEnabled: 'true',
      });
    },

    async postCustomerAttachment(session, message, attachment) {
      await post(session, {
        author: session.identity,
        mediaSid: attachment.mediaSid,
        attributes: messageAttributes(session, message, attachment.index),
        xTwilioWebhookEnabled: 'true',
      });
    },

    async inviteAgent(session, channel, workerSid) {
      const { interactionSid, interactionChannelSid } = session.resources;
      if (routing.kind !== 'interactions' || !interactionSid || !interactionChannelSid) throw new Error('the session was not routed by an interaction');
      const invites = client.flexApi.v1.interaction(interactionSid).channels(interactionChannelSid).invites;
      // An earlier attempt may have invited the agent and lost the answer: one task per agent.
      const invited = (await invites.list({ limit: 50 })).some((invite) => (invite.routing as InviteRouting | null)?.properties?.worker_sid === workerSid);
      if (invited) return;
      await invites.create({
        routing: {
          properties: {
            workspace_sid: routing.workspaceSid,
            workflow_sid: routing.workflowSid,
            task_channel_unique_name: CHAT_TASK_CHANNEL,
            worker_sid: workerSid,
            attributes: buildTaskAttributes({
              channelType: session.channelType,
              customerName: session.customerName,
              channelDisplayName: channel.displayName,
              conversationSid: requireSid(session.resources.conversationSid),
              initiatedBy: 'agent',
            }),
          },
        },
      });
    },

    async postAgentMessage(session, message) {
      await post(session, {
        author: message.author,
        body: message.text,
        attributes: JSON.stringify({ externalId: message.externalId, channelType: session.channelType, agentStarted: true }),
      });
    },

    async postSystemNotice(session, notice) {
      await post(session, { author: SYSTEM_AUTHOR, body: notice.text, attributes: systemNoticeAttributes(notice) });
    },

    async postAgentContent(session, { author, contentSid, variables }) {
      const message = await conversations(requireSid(session.resources.conversationSid)).messages.create({
        author,
        contentSid,
        contentVariables: JSON.stringify(variables),
        attributes: JSON.stringify({ [CONTENT_VARIABLES_ATTRIBUTE]: variables }),
      });
      return message.sid;
    },

    async isParticipant(session, identity) {
      const participant = await unlessNotFound(() => conversations(requireSid(session.resources.conversationSid)).participants(identity).fetch());
      return participant !== undefined;
    },

    async mediaServiceSid(session) {
      const sid = requireSid(session.resources.conversationSid);
      return serviceSids.get(sid) ?? remember(serviceSids, sid, (await conversations(sid).fetch()).chatServiceSid);
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

    async wasPosted(session, externalId, attachmentIndex) {
      const recent = await conversations(requireSid(session.resources.conversationSid)).messages.list({ order: 'desc', limit: RECENT_MESSAGES_CHECKED });
      return recent.some((message) => carriesExternalId(message.attributes, externalId, attachmentIndex));
    },

    async markWithdrawn(session, externalId) {
      const conversationSid = requireSid(session.resources.conversationSid);
      const recent = await conversations(conversationSid).messages.list({ order: 'desc', limit: RECENT_MESSAGES_CHECKED });
      const withdrawn = recent.filter((message) => message.author === session.identity && externalIdOf(message.attributes) === externalId);
      for (const message of withdrawn) {
        const attributes = JSON.stringify({ ...(JSON.parse(message.attributes ?? '{}') as Record<string, unknown>), withdrawn: true });
        await conversations(conversationSid).messages(message.sid).update({ attributes });
      }
      return withdrawn.length > 0;
    },

    async isSessionOpen(session) {
      // A conversation Twilio no longer has is closed.
      const fetched = await unlessNotFound(() => conversations(requireSid(session.resources.conversationSid)).fetch());
      return fetched !== undefined && fetched.state !== 'closed';
    },

    recentMessages: (conversationSid, limit) => conversations(conversationSid).messages.list({ order: 'desc', limit }),

    messageIndex: async (conversationSid, messageSid) => (await unlessNotFound(() => conversations(conversationSid).messages(messageSid).fetch()))?.index,

    customerReadIndex: async (session) => (await customerParticipant(session)).lastReadMessageIndex,

    async writeCustomerReadIndex(session, index) {
      const conversationSid = requireSid(session.resources.conversationSid);
      const sid = customerParticipantSids.get(conversationSid) ?? (await customerParticipant(session)).sid;
      await conversations(conversationSid).participants(sid).update({ lastReadMessageIndex: index, lastReadTimestamp: now().toISOString() });
    },

    writeTaskInsights: (conversationSid, values) => mergeTaskInsights(client, routing, conversationSid, values),

    async removeConversation(conversationSid) {
      return (await unlessNotFound(() => conversations(conversationSid).remove())) === undefined ? 'already_gone' : 'deleted';
    },
  };
}

function carriesExternalId(attributes: string | null | undefined, externalId: string, attachmentIndex: number | undefined): boolean {
  try {
    const parsed = JSON.parse(attributes ?? '{}') as { externalId?: unknown; attachmentIndex?: unknown };
    return parsed.externalId === externalId && parsed.attachmentIndex === attachmentIndex;
  } catch {
    return false;
  }
}
