import type { ChannelRuntime } from '../config/channels.js';
import type { FlexGateway, SystemNotice } from '../flex/flex-gateway.js';
import { postNoticeOnce } from '../flex/post-notice-once.js';
import type { Logger } from '../observability/logger.js';
import type { Store } from '../store/store.js';
import type { AgentMessage } from './too-long-notice.js';

export interface RefusedMessageNoticeDeps {
  store: Pick<Store, 'findSessionByConversationSid'>;
  gateway: Pick<FlexGateway, 'wasPosted' | 'postSystemNotice' | 'isSessionOpen'>;
  logger: Logger;
}

/**
 * Tells the agent, in the conversation, that the channel refused their message for good (a
 * Telegram user who blocked the bot, a LINE user who no longer follows the account, a webhook
 * channel's refusal): the entry is also kept as a dead letter, for reporting. Posted once per message.
 */
export function createRefusedMessageNotifier(deps: RefusedMessageNoticeDeps) {
  return async (channel: ChannelRuntime, message: AgentMessage, reason: string): Promise<void> => {
    const session = await deps.store.findSessionByConversationSid(message.conversationSid);
    if (!session) return;
    const notice = refusedMessageNotice(channel, message, reason);
    if ((await postNoticeOnce(deps.gateway, session, notice)) !== 'posted') return;
    deps.logger.info({ channel: channel.channelType, messageSid: message.id }, 'agent message refused by the channel; agent told');
  };
}

export function refusedMessageNotice(channel: ChannelRuntime, message: AgentMessage, reason: string): SystemNotice {
  return {
    id: `refused:${message.id}`,
    kind: 'message_not_delivered',
    text: `Not delivered: ${channel.displayName} refused this message (${reason}). The customer did not get it.`,
  };
}

export type RefusedMessageNotifier = ReturnType<typeof createRefusedMessageNotifier>;
