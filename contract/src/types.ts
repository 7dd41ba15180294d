/** Flex task statuses that templates may be keyed by. */
export const TEMPLATE_STATUSES = ['Pending', 'Reserved', 'Assigned', 'Accepted', 'Wrapping', 'Completed', 'Canceled'] as const;
export type TemplateStatus = (typeof TEMPLATE_STATUSES)[number];

/** One Handlebars text for every status, or one per status. */
export type TemplateText = string | Partial<Record<TemplateStatus, string>>;

export interface ChannelTemplates {
  taskListItem?: { firstLine?: TemplateText; secondLine?: TemplateText; extraInfo?: TemplateText };
  taskCanvasHeader?: { title?: TemplateText };
  incomingTaskCanvas?: { firstLine?: TemplateText; secondLine?: TemplateText };
  taskCard?: { firstLine?: TemplateText; secondLine?: TemplateText };
  supervisorTaskCanvasHeader?: { title?: TemplateText };
  supervisorTaskOverviewCanvas?: { firstLine?: TemplateText; secondLine?: TemplateText };
}

/** One customer field of the channel panel: a label and a template of task attributes. */
export interface ProfileField {
  label: string;
  /** Plain text with {{task.attributes.*}} or {{task.*}} lookups. */
  value: string;
}

/** What a channel takes as attachments, both ways. */
export interface ChannelMedia {
  /** Media types, exact ("application/pdf") or a family ("image/*"). */
  accept: string[];
  /** The largest attachment in bytes; Flex's limit when absent. */
  maxBytes?: number;
}

export type ChannelAdapter = 'webhook' | 'webchat' | 'telegram' | 'line';

/** The built-in messenger adapters: the platform's own webhooks in, its send API out. */
export const MESSENGER_ADAPTERS = ['telegram', 'line'] as const;
export type MessengerAdapter = (typeof MESSENGER_ADAPTERS)[number];

/** The longest text each messenger platform takes in one message (Telegram sendMessage, LINE text message). */
export const MESSENGER_TEXT_LIMITS: Record<MessengerAdapter, number> = { telegram: 4096, line: 5000 };

export function isMessengerAdapter(adapter: ChannelAdapter | undefined): adapter is MessengerAdapter {
  return (MESSENGER_ADAPTERS as readonly string[]).includes(adapter ?? '');
}

/** A custom channel as written in channels.json (see channels.schema.json). */
export interface ChannelDefinition {
  channelType: string;
  displayName: string;
  color: string;
  icon: string;
  adapter?: ChannelAdapter;
  /** The longest message the channel takes, in characters (see maxMessageLengthOf). */
  maxMessageLength?: number;
  /** Messenger adapters: what the customer reads when the agent ends the chat. */
  endedText?: string;
  /** The attachments the channel takes; absent: text only (see media.ts). */
  media?: ChannelMedia;
  /**
   * Channels that take `POST /inbound`: the middleware also takes the body-only `X-Hub-Signature-256`, which
   * has no timestamp and so no end to replays. For moving senders to the timestamped
   * signature; off unless set, and warned about at start.
   */
  legacyBodySignature?: boolean;
  /** The customer fields the channel panel shows, in order. */
  profile?: ProfileField[];
  templates?: ChannelTemplates;
}

/** Flex's limit for a chat message, in characters: a channel's default. */
export const FLEX_CHAT_CHAR_LIMIT = 32_768;

/**
 * The longest message a channel takes, both ways: its own setting, else its messenger
 * platform's limit, else Flex's chat limit.
 */
export function maxMessageLengthOf(channel: Pick<ChannelDefinition, 'maxMessageLength' | 'adapter'>): number {
  if (channel.maxMessageLength !== undefined) return channel.maxMessageLength;
  return isMessengerAdapter(channel.adapter) ? MESSENGER_TEXT_LIMITS[channel.adapter] : FLEX_CHAT_CHAR_LIMIT;
}

export interface ChannelsConfig {
  channels: ChannelDefinition[];
}
