import { buildTaskAttributes, CHAT_TASK_CHANNEL } from '@custom-channels/contract';
import type { ChannelRuntime } from '../config/channels.js';
import type { RoutingConfig } from '../config/config.js';
import type { Session, SessionResources } from '../store/store.js';
import type { AgentStart } from './flex-gateway.js';
import type { TwilioClient } from '../twilio/client.js';
import { CUSTOMER_PRESENCE_ATTRIBUTE } from '../webchat/visitor-presence.js';

/** Conversation-scoped webhook events the middleware listens to: messages, the conversation closing, agents joining and reading. */
export const CONVERSATION_WEBHOOK_FILTERS = [
  'onMessageAdded',
  'onConversationUpdated',
  'onConversationStateUpdated',
  'onParticipantAdded',
  'onParticipantUpdated',
];

export interface ConversationOpeningOptions {
  client: TwilioClient;
  routing: RoutingConfig;
  closedTimer: string;
  webhookUrl: string;
  /** The middleware writes web chat visitors' presence on their tasks (see VisitorPresence): a new task starts online. */
  webchatPresence?: boolean;
}

type RecordResources = (resources: SessionResources) => Promise<void>;

/** Twilio's answer when the resource an earlier attempt created is there already. */
const isConflict = (error: unknown, code: number) => {
  const { status, code: twilioCode } = (error ?? {}) as { status?: unknown; code?: unknown };
  return status === 409 && twilioCode === code;
};

const customerOf = (session: Session, channel: ChannelRuntime, agentStart: AgentStart | undefined) => ({
  channelType: session.channelType,
  customerName: session.customerName,
  channelDisplayName: channel.displayName,
  initiatedBy: agentStart ? ('agent' as const) : ('customer' as const),
});

/** The routing properties of a task Twilio made for a conversation: its interaction and channel. */
interface RoutedTask {
  flexInteractionSid?: string;
  flexInteractionChannelSid?: string;
}

/**
 * Creates the Twilio resources of a session, step by step, each recorded
 * as soon as it exists, and skips what an earlier attempt already made: one that failed on
 * a later step, or one cut short by a crash. What was recorded is reused; what may exist
 * without having been recorded (an answer lost, a crash just after) is looked up first, so
 * nothing is created twice.
 */
export function createConversationOpener(options: ConversationOpeningOptions) {
  const { client, routing, closedTimer, webhookUrl } = options;
  const conversations = client.conversations.v1.conversations;
  // A visitor's first message came through an open socket: they are online when the task is made.
  const presenceOf = (channel: ChannelRuntime, agentStart: AgentStart | undefined) =>
    options.webchatPresence && channel.adapter === 'webchat' && !agentStart ? { [CUSTOMER_PRESENCE_ATTRIBUTE]: 'online' } : {};

  const conversationOf = async (session: Session, channel: ChannelRuntime, agentStart: AgentStart | undefined): Promise<{ sid: string; existed: boolean }> => {
    if (session.resources.conversationSid) return { sid: session.resources.conversationSid, existed: true };
    try {
      const created = await conversations.create({
        // The session id as unique name: a creation whose answer was lost can still be found.
        uniqueName: session.id,
        friendlyName: `${channel.displayName}: ${session.customerName}`,
        attributes: JSON.stringify({ ...buildTaskAttributes(customerOf(session, channel, agentStart)), ...presenceOf(channel, agentStart) }),
        'timers.closed': closedTimer,
      });
      return { sid: created.sid, existed: false };
    } catch (error) {
      if (!isConflict(error, 50353)) throw error;
      return { sid: (await conversations(session.id).fetch()).sid, existed: true };
    }
  };

  const ensureParticipant = async (session: Session, conversationSid: string) => {
    try {
      await conversations(conversationSid).participants.create({ identity: session.identity, attributes: JSON.stringify({ name: session.customerName }) });
    } catch (error) {
      if (!isConflict(error, 50433)) throw error;
    }
  };

  const webhookOf = async (conversationSid: string, target: 'webhook' | 'studio', lookFirst: boolean): Promise<string> => {
    const scoped = conversations(conversationSid).webhooks;
    if (lookFirst) {
      // Twilio allows five scoped webhooks per conversation: one page holds them all.
      const existing = (await scoped.list({ limit: 5 })).find((webhook) => webhook.target === target);
      if (existing) return existing.sid;
    }
    const created =
      target === 'webhook'
        ? await scoped.create({
            target: 'webhook',
            'configuration.url': webhookUrl,
            'configuration.method': 'post',
            'configuration.filters': CONVERSATION_WEBHOOK_FILTERS,
          })
        : await scoped.create({ target: 'studio', 'configuration.flowSid': routing.kind === 'studio' ? routing.flowSid : undefined });
    return created.sid;
  };

  const routedTask = async (workspaceSid: string, conversationSid: string): Promise<RoutedTask | undefined> => {
    const tasks = await client.taskrouter.v1
      .workspaces(workspaceSid)
      .tasks.list({ evaluateTaskAttributes: `conversationSid == "${conversationSid}"`, limit: 20 });
    return tasks.map((task) => JSON.parse(task.attributes) as RoutedTask).find((attributes) => attributes.flexInteractionSid);
  };

  const route = async (
    session: Session,
    channel: ChannelRuntime,
    conversationSid: string,
    lookFirst: boolean,
    record: RecordResources,
    agentStart: AgentStart | undefined,
  ) => {
    if (routing.kind !== 'interactions' || session.resources.interactionSid) return;
    const found = lookFirst ? await routedTask(routing.workspaceSid, conversationSid) : undefined;
    if (found) {
      await record({ interactionSid: found.flexInteractionSid, interactionChannelSid: found.flexInteractionChannelSid });
      return;
    }
    const interaction = await client.flexApi.v1.interaction.create({
      channel: { type: 'chat', initiated_by: agentStart ? 'agent' : 'customer', properties: { media_channel_sid: conversationSid } },
      routing: {
        properties: {
          workspace_sid: routing.workspaceSid,
          workflow_sid: routing.workflowSid,
          task_channel_unique_name: CHAT_TASK_CHANNEL,
          // Twilio's outbound interactions name the known worker; only that agent gets the task.
          ...(agentStart ? { worker_sid: agentStart.workerSid } : {}),
          attributes: { ...buildTaskAttributes({ ...customerOf(session, channel, agentStart), conversationSid }), ...presenceOf(channel, agentStart) },
        },
      },
    });
    await record({ interactionSid: interaction.sid, interactionChannelSid: (interaction.channel as { sid?: string } | null)?.sid });
  };

  return async (session: Session, channel: ChannelRuntime, record: RecordResources, agentStart?: AgentStart): Promise<void> => {
    const conversation = await conversationOf(session, channel, agentStart);
    if (!session.resources.conversationSid) await record({ conversationSid: conversation.sid });
    // Only a conversation an earlier attempt made can hold what that attempt created.
    const lookFirst = conversation.existed;
    await ensureParticipant(session, conversation.sid);
    if (!session.resources.webhookSid) await record({ webhookSid: await webhookOf(conversation.sid, 'webhook', lookFirst) });
    if (routing.kind === 'studio') {
      // The flow's "Send to Flex" widget creates the task when the first message arrives.
      if (!session.resources.studioWebhookSid) await record({ studioWebhookSid: await webhookOf(conversation.sid, 'studio', lookFirst) });
      return;
    }
    await route(session, channel, conversation.sid, lookFirst, record, agentStart);
  };
}
