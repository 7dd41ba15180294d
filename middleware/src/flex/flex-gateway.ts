import type { ChannelRuntime } from '../config/channels.js';
import type { Session, SessionResources } from '../store/store.js';

/** A customer's message as it is posted into Flex. */
export interface CustomerMessage {
  externalId: string;
  text: string;
  /** When the channel says the customer sent it (ISO 8601), if it said. */
  sentAt?: string;
  /** Extra fields the channel attached; kept in the Twilio message attributes. */
  attributes?: Record<string, unknown>;
}

/** An agent starting a conversation from Flex: the interaction is `initiated_by: agent`, its task routed to that worker only. */
export interface AgentStart {
  workerSid: string;
}

/** The first message of an agent-started conversation, posted in the agent's name. */
export interface AgentMessage {
  /** The agent's Flex identity: the author Flex itself gives the agent's messages. */
  author: string;
  text: string;
  /** Stable per outbound request, so a retried post is recognised by `wasPosted`. */
  externalId: string;
}

/** The author of the middleware's own notices to the agent; never forwarded to the customer. */
export const SYSTEM_AUTHOR = 'system';

/** A notice for the agent, posted into the session by the middleware. */
export interface SystemNotice {
  /** Stable per cause, so a retried post is recognised by `wasPosted`. */
  id: string;
  /** What kind of notice, in the message attributes, for Flex customisations to match. */
  kind: 'message_too_long' | 'attachment_not_delivered' | 'customer_unreachable' | 'content_not_found' | 'message_not_delivered' | 'message_held';
  text: string;
}

/**
 * How a session reaches Flex: one Conversation, routed by the Interactions API or a Studio
 * flow. The only code that calls Twilio for a conversation; the rest of the middleware sees only this.
 */
export interface FlexGateway {
  /**
   * Creates every Twilio resource of a new session still missing (an earlier attempt may have
   * left it half done: what exists is skipped or found) and routes it to Flex, calling `record` as soon as each resource exists, so a
   * failure half way can be resumed or undone.
   */
  openSession(session: Session, channel: ChannelRuntime, record: (resources: SessionResources) => Promise<void>, agentStart?: AgentStart): Promise<void>;
  /**
   * Routes an open session's conversation to one more agent, beside whoever has it (an invite
   * on its interaction channel routed to that worker); nothing when that worker was invited already.
   */
  inviteAgent(session: Session, channel: ChannelRuntime, workerSid: string): Promise<void>;
  /**
   * Posts in the agent's name: the conversation's webhook reports it like a message typed in
   * Flex, so it reaches the customer through the outbox as any agent message does.
   */
  postAgentMessage(session: Session, message: AgentMessage): Promise<void>;
  /** Deletes what a failed creation left behind; safe to call again, and for resources that never existed. */
  discardSession(session: Session): Promise<void>;
  /** Posts as the customer, with webhooks enabled so Flex and Studio see the message. */
  postCustomerMessage(session: Session, message: CustomerMessage): Promise<void>;
  /**
   * Posts attachment `index` of a customer's message as its own message (Flex takes one
   * attachment per message), naming a file already in the Media Content Service.
   */
  postCustomerAttachment(session: Session, message: CustomerMessage, attachment: { index: number; mediaSid: string }): Promise<void>;
  /** The service whose Media Content Service holds the session's files. */
  mediaServiceSid(session: Session): Promise<string>;
  /** The service new sessions' files go to: where a file uploaded before its message is kept. */
  uploadServiceSid(): Promise<string>;
  /**
   * Posts a notice as SYSTEM_AUTHOR with webhooks off: the agent sees it in Flex, and neither
   * Studio nor this middleware's webhook takes it for a customer's or agent's message.
   */
  postSystemNotice(session: Session, notice: SystemNotice): Promise<void>;
  /**
   * Posts an agent's rich message: the Content template with its variables, which also go in the
   * attributes (`contentVariables`), since Twilio's webhook names the template but not its variables.
   * Answers the message SID.
   */
  postAgentContent(session: Session, post: { author: string; contentSid: string; variables: Record<string, string> }): Promise<string>;
  /** Whether this identity (an agent's) is a participant of the session's conversation. */
  isParticipant(session: Session, identity: string): Promise<boolean>;
  /**
   * Whether a message with this external id (and attachment index, for an attachment) is
   * among the session's latest messages: asked before posting again after an attempt whose
   * outcome is unknown (a timeout).
   */
  wasPosted(session: Session, externalId: string, attachmentIndex?: number): Promise<boolean>;
  /**
   * Marks the customer's earlier message with this external id (and its attachments) as
   * withdrawn by the customer (`withdrawn: true` in its attributes), when it is among the
   * session's latest messages; false when it is not.
   */
  markWithdrawn(session: Session, externalId: string): Promise<boolean>;
  /** Whether Twilio still has the session open; asked when a post is refused. */
  isSessionOpen(session: Session): Promise<boolean>;
  /** The conversation's latest messages, newest first. */
  recentMessages(conversationSid: string, limit: number): Promise<Array<{ index: number; author: string; attributes: string | null }>>;
  /** The index of the message with this SID; undefined when Twilio does not have it. */
  messageIndex(conversationSid: string, messageSid: string): Promise<number | undefined>;
  /** The customer participant's read horizon (a message index), null when it has none. */
  customerReadIndex(session: Session): Promise<number | null>;
  /** Moves the customer participant's read horizon to this message index. */
  writeCustomerReadIndex(session: Session, index: number): Promise<void>;
  /**
   * Merges post-chat survey answers into the `conversations` attributes of the conversation's
   * latest task (Flex Insights' keys); `no_task` when no task names the conversation.
   */
  writeTaskInsights(conversationSid: string, values: Record<string, number | string>): Promise<'written' | 'no_task'>;
  /** Deletes a conversation (erasure); `already_gone` when Twilio no longer had it. */
  removeConversation(conversationSid: string): Promise<'deleted' | 'already_gone'>;
}

export function messageAttributes(session: Session, message: CustomerMessage, attachmentIndex?: number): string {
  return JSON.stringify({
    ...message.attributes,
    externalId: message.externalId,
    ...(attachmentIndex === undefined ? {} : { attachmentIndex }),
    channelType: session.channelType,
    ...(message.sentAt ? { sentAt: message.sentAt } : {}),
  });
}

export function systemNoticeAttributes(notice: SystemNotice): string {
  return JSON.stringify({ systemNotice: notice.kind, externalId: notice.id });
}

export function requireSid(sid: string | undefined): string {
  if (!sid) throw new Error('the session has no Twilio SID recorded');
  return sid;
}
