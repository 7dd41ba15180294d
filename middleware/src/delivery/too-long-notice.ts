import type { ChannelRuntime } from '../config/channels.js';
import type { FlexGateway, SystemNotice } from '../flex/flex-gateway.js';
import { postNoticeOnce } from '../flex/post-notice-once.js';
import { messageLength } from '../inbound/inbound-message.js';
import type { Logger } from '../observability/logger.js';
import type { Store } from '../store/store.js';
import type { ChannelEvent } from './channel-events.js';

export type AgentMessage = Extract<ChannelEvent, { type: 'message' }>;

export interface TooLongNoticeDeps {
  store: Store;
  gateway: FlexGateway;
  logger: Logger;
}

/**
 * Instead of delivering an agent's message the channel cannot take, tells the agent in the
 * conversation. Posted once per message: a retry after a lost answer finds the first post.
 */
export function createTooLongNotifier(deps: TooLongNoticeDeps) {
  return async (channel: ChannelRuntime, message: AgentMessage): Promise<void> => {
    const session = await deps.store.findSessionByConversationSid(message.conversationSid);
    if (!session) return;
    const notice = tooLongNotice(channel, message);
    if ((await postNoticeOnce(deps.gateway, session, notice)) === 'already_posted') return;
    deps.logger.info({ channel: channel.channelType, messageSid: message.id }, 'agent message too long; agent told');
  };
}

export function tooLongNotice(channel: ChannelRuntime, message: AgentMessage): SystemNotice {
  const length = messageLength(message.text).toLocaleString('en-US');
  const limit = channel.maxMessageLength.toLocaleString('en-US');
  return {
    id: `too-long:${message.id}`,
    kind: 'message_too_long',
    text: `Not delivered: this message has ${length} characters, and ${channel.displayName} takes at most ${limit}. Send it shorter or in parts.`,
  };
}

export type TooLongNotifier = ReturnType<typeof createTooLongNotifier>;
