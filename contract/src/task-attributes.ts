/** The TaskRouter task channel that Flex handles chat tasks in. */
export const CHAT_TASK_CHANNEL = 'chat';

/**
 * The task attributes the middleware sets and the plugin matches on. Flex or Studio may
 * rewrite `channelType` on Conversations tasks; `customChannelType` survives that.
 */
export interface CustomChannelTaskAttributes {
  channelType: string;
  customChannelType: string;
  /** The customer's display name, as the channel gave it. */
  name: string;
  /** Shown by Flex as the task's "from" (task.defaultFrom). */
  from: string;
  conversationSid?: string;
  channelSid?: string;
  /** What Flex Insights reports on (Twilio's known task attributes for Flex Conversations). */
  conversations: InsightsConversationAttributes;
}

/**
 * `conversations.*` as Flex Insights reads them. A transferred task is created with a copy of
 * the first task's attributes, so `conversation_id` stays the same and Insights reports both
 * tasks as one conversation.
 */
export interface InsightsConversationAttributes {
  /** The channel's display name. */
  communication_channel: string;
  initiated_by: 'customer' | 'agent';
  direction: 'inbound' | 'outbound';
  /** Links every task of one chat; absent until the conversation or channel exists. */
  conversation_id?: string;
}

export interface TaskAttributesInput {
  channelType: string;
  customerName: string;
  /** The channel's display name; the channel type when not given. */
  channelDisplayName?: string;
  conversationSid?: string;
  channelSid?: string;
  /** Links the tasks of one chat in Insights; the conversation's (or Chat channel's) SID when not given. */
  conversationId?: string;
  /** `agent` for a conversation an agent started from Flex: Insights then reports it as outbound. */
  initiatedBy?: 'customer' | 'agent';
}

export function buildTaskAttributes(input: TaskAttributesInput): CustomChannelTaskAttributes {
  const conversationId = input.conversationId ?? input.conversationSid ?? input.channelSid;
  const attributes: CustomChannelTaskAttributes = {
    channelType: input.channelType,
    customChannelType: input.channelType,
    name: input.customerName,
    from: input.customerName,
    conversations: {
      communication_channel: input.channelDisplayName ?? input.channelType,
      initiated_by: input.initiatedBy ?? 'customer',
      direction: input.initiatedBy === 'agent' ? 'outbound' : 'inbound',
      ...(conversationId ? { conversation_id: conversationId } : {}),
    },
  };
  if (input.conversationSid) attributes.conversationSid = input.conversationSid;
  if (input.channelSid) attributes.channelSid = input.channelSid;
  return attributes;
}

/** The part of a Flex task this module reads. */
export interface TaskLike {
  taskChannelUniqueName?: string;
  attributes?: { channelType?: unknown; customChannelType?: unknown } | null;
}

/** Whether a task is a chat task of the given custom channel. */
export function isTaskOfChannel(task: TaskLike, channelType: string): boolean {
  if (task.taskChannelUniqueName !== CHAT_TASK_CHANNEL) return false;
  const attributes = task.attributes ?? {};
  return attributes.customChannelType === channelType || attributes.channelType === channelType;
}
