import type { ChannelRuntime } from '../config/channels.js';
import { postNoticeOnce } from '../flex/post-notice-once.js';
import type { AgentMessage, TooLongNoticeDeps } from './too-long-notice.js';

/**
 * Tells the agent, in the conversation, that a message of theirs cannot reach the customer and
 * why, instead of letting it vanish into the dead letters. Posted once per message.
 */
export function createUndeliverableNotifier(deps: TooLongNoticeDeps) {
  return async (channel: ChannelRuntime, message: AgentMessage, reason: string): Promise<void> => {
    const session = await deps.store.findSessionByConversationSid(message.conversationSid);
    if (!session) return;
    const notice = { id: `undeliverable:${message.id}`, kind: 'customer_unreachable' as const, text: `Not delivered: ${reason}.` };
    if ((await postNoticeOnce(deps.gateway, session, notice)) === 'already_posted') return;
    deps.logger.info({ channel: channel.channelType, messageSid: message.id }, 'agent message undeliverable; agent told');
  };
}

export type UndeliverableNotifier = ReturnType<typeof createUndeliverableNotifier>;
