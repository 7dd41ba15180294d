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
}

export interface TaskAttributesInput {
  channelType: string;
  customerName: string;
  conversationSid?: string;
  channelSid?: string;
}

export function buildTaskAttributes(input: TaskAttributesInput): CustomChannelTaskAttributes {
  const attributes: CustomChannelTaskAttributes = {
    channelType: input.channelType,
    customChannelType: input.channelType,
    name: input.customerName,
    from: input.customerName,
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
