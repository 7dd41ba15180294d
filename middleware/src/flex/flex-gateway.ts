import type { ChannelRuntime } from '../config/channels.js';
import { probes } from '../observability/probes.js';
import type { FlexMode, Session, SessionResources } from '../store/store.js';
import { unlessNotFound } from './twilio-errors.js';

/** A customer's message as it is posted into Flex. */
export interface CustomerMessage {
  externalId: string;
  text: string;
  /** When the channel says the customer sent it (ISO 8601), if it said. */
  sentAt?: string;
  /** Extra fields the channel attached; kept in the Twilio message attributes. */
  attributes?: Record<string, unknown>;
}

/** The author of the middleware's own notices to the agent; never forwarded to the customer. */
export const SYSTEM_AUTHOR = 'system';

/** A notice for the agent, posted into the session by the middleware. */
export interface SystemNotice {
  /** Stable per cause, so a retried post is recognised by `wasPosted`. */
  id: string;
  /** What kind of notice, in the message attributes, for Flex customisations to match. */
  kind: 'message_too_long' | 'attachment_not_delivered';
  text: string;
}

/**
 * How a session reaches Flex: a Conversation (conversations mode) or a Programmable
 * Chat channel made by a Flex Flow (flex-flow mode). The rest of the middleware sees only this.
 */
export interface FlexGateway {
  readonly mode: FlexMode;
  /**
   * Whether `openSession` can finish a creation an earlier attempt left half done (it skips or
   * finds what exists). Then a creation that failed for a reason that may pass is resumed
   * rather than undone; without it, it is undone and started again.
   */
  readonly resumesCreation?: boolean;
  /**
   * Creates every Twilio resource of a new session (with `resumesCreation`, every one still
   * missing) and routes it to Flex, calling `record` as soon as each resource exists, so a
   * failure half way can be resumed or undone.
   */
  openSession(session: Session, channel: ChannelRuntime, record: (resources: SessionResources) => Promise<void>): Promise<void>;
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
   * Whether a message with this external id (and attachment index, for an attachment) is
   * among the session's latest messages: asked before posting again after an attempt whose
   * outcome is unknown (a timeout).
   */
  wasPosted(session: Session, externalId: string, attachmentIndex?: number): Promise<boolean>;
  /** Whether Twilio still has the session open; asked when a post is refused. */
  isSessionOpen(session: Session): Promise<boolean>;
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

/** A message as both modes post it: `author` is a Conversation message's author, a Chat message's `from`. */
export interface MessagePost {
  author: string;
  body?: string;
  mediaSid?: string;
  attributes: string;
  xTwilioWebhookEnabled?: 'true';
}

/** The three posts, alike in both modes once `post` says how a message reaches the resource with this SID. */
export function messagePosts(
  post: (sid: string, message: MessagePost) => Promise<unknown>,
): Pick<FlexGateway, 'postCustomerMessage' | 'postCustomerAttachment' | 'postSystemNotice'> {
  const postTo = async (session: Session, message: MessagePost) => {
    await post(requireSid(session.resources.conversationSid), message);
  };
  return {
    async postCustomerMessage(session, message) {
      if (probes.messagePosting.hasSubscribers) probes.messagePosting.publish({ externalId: message.externalId });
      await postTo(session, {
        author: session.identity,
        body: message.text,
        attributes: messageAttributes(session, message),
        xTwilioWebhookEnabled: 'true',
      });
    },
    async postCustomerAttachment(session, message, attachment) {
      await postTo(session, {
        author: session.identity,
        mediaSid: attachment.mediaSid,
        attributes: messageAttributes(session, message, attachment.index),
        xTwilioWebhookEnabled: 'true',
      });
    },
    async postSystemNotice(session, notice) {
      await postTo(session, { author: SYSTEM_AUTHOR, body: notice.text, attributes: systemNoticeAttributes(notice) });
    },
  };
}

/** How far back `wasPosted` looks: more than the messages of one customer that can be in flight. */
const RECENT_MESSAGES_CHECKED = 50;

/** A session's Twilio resource, a Conversation or a Chat channel, as far as both modes read it alike. */
interface SessionResource<Fetched> {
  fetch(): Promise<Fetched>;
  messages: { list(params: { order: 'desc'; limit: number }): Promise<Array<{ attributes: string | null }>> };
}

/** `wasPosted` and `isSessionOpen`, alike in both modes: a resource Twilio no longer has is closed. */
export function sessionChecks<Fetched>(
  resourceOf: (sid: string) => SessionResource<Fetched>,
  isOpen: (fetched: Fetched) => boolean,
): Pick<FlexGateway, 'wasPosted' | 'isSessionOpen'> {
  const resourceFor = (session: Session) => resourceOf(requireSid(session.resources.conversationSid));
  return {
    async wasPosted(session, externalId, attachmentIndex) {
      const recent = await resourceFor(session).messages.list({ order: 'desc', limit: RECENT_MESSAGES_CHECKED });
      return recent.some((message) => carriesExternalId(message.attributes, externalId, attachmentIndex));
    },
    async isSessionOpen(session) {
      const fetched = await unlessNotFound(() => resourceFor(session).fetch());
      return fetched !== undefined && isOpen(fetched);
    },
  };
}

export function requireSid(sid: string | undefined): string {
  if (!sid) throw new Error('the session has no Twilio SID recorded');
  return sid;
}

function carriesExternalId(attributes: string | null | undefined, externalId: string, attachmentIndex: number | undefined): boolean {
  try {
    const parsed = JSON.parse(attributes ?? '{}') as { externalId?: unknown; attachmentIndex?: unknown };
    return parsed.externalId === externalId && parsed.attachmentIndex === attachmentIndex;
  } catch {
    return false;
  }
}
