import type { ChannelRuntime } from '../config/channels.js';
import type { FlexGateway, SystemNotice } from '../flex/flex-gateway.js';
import { postNoticeOnce } from '../flex/post-notice-once.js';
import type { Logger } from '../observability/logger.js';
import type { Store } from '../store/store.js';
import type { AgentMessage } from './too-long-notice.js';

export interface UndeliveredNoticeDeps {
  store: Pick<Store, 'findSessionByConversationSid'>;
  gateway: Pick<FlexGateway, 'wasPosted' | 'postSystemNotice' | 'isSessionOpen'>;
  logger: Logger;
}

/**
 * Tells the agent, in the conversation, that their message has not reached the customer: the
 * channel refused it for good (a Telegram user who blocked the bot, a LINE user who no longer
 * follows the account, a webhook channel's refusal; the entry is also kept as a dead letter,
 * for reporting), or it is held until the customer comes back (a web chat visitor not on the
 * site). Each notice is posted once per message.
 */
export function createUndeliveredNotifier(deps: UndeliveredNoticeDeps) {
  const notify = async (message: AgentMessage, notice: SystemNotice, channel: ChannelRuntime): Promise<void> => {
    const session = await deps.store.findSessionByConversationSid(message.conversationSid);
    if (!session) return;
    if ((await postNoticeOnce(deps.gateway, session, notice)) !== 'posted') return;
    deps.logger.info({ channel: channel.channelType, messageSid: message.id, notice: notice.kind }, 'agent message not delivered; agent told');
  };
  return {
    refused: (channel: ChannelRuntime, message: AgentMessage, reason: string) => notify(message, refusedMessageNotice(channel, message, reason), channel),
    held: (channel: ChannelRuntime, message: AgentMessage) => notify(message, heldMessageNotice(message), channel),
  };
}

export function refusedMessageNotice(channel: ChannelRuntime, message: AgentMessage, reason: string): SystemNotice {
  return {
    id: `refused:${message.id}`,
    kind: 'message_not_delivered',
    text: `Not delivered: ${channel.displayName} refused this message (${reason}). The customer did not get it.`,
  };
}

export function heldMessageNotice(message: AgentMessage): SystemNotice {
  return {
    id: `held:${message.id}`,
    kind: 'message_held',
    text: 'Not delivered yet: the visitor is not on the site now. They will see this message on their next visit.',
  };
}

export type UndeliveredNotifier = ReturnType<typeof createUndeliveredNotifier>;
