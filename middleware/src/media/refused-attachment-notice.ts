import { acceptsType, essenceOf } from '@custom-channels/contract';
import type { ChannelRuntime } from '../config/channels.js';
import type { AgentMessage } from '../delivery/too-long-notice.js';
import type { FlexGateway, SystemNotice } from '../flex/flex-gateway.js';
import { postNoticeOnce } from '../flex/post-notice-once.js';
import type { Logger } from '../observability/logger.js';
import type { Store } from '../store/store.js';
import { messengerPlatformOf } from '../messengers/registry.js';
import type { AgentAttachment } from './agent-media.js';

export interface RefusedNoticeDeps {
  store: Store;
  gateway: FlexGateway;
  logger: Logger;
}

/** Why the channel cannot take an agent's attachment, or undefined when it can. */
export function refusalOf(channel: ChannelRuntime, attachment: AgentAttachment): string | undefined {
  const name = attachment.filename ?? 'the attachment';
  if (!channel.media) return `${name}: ${channel.displayName} takes text only`;
  if (!acceptsType(channel.media, attachment.contentType)) {
    return `${name} is ${essenceOf(attachment.contentType)}, and ${channel.displayName} takes only ${channel.media.accept.join(', ')}`;
  }
  if (attachment.size !== undefined && attachment.size > channel.media.maxBytes) {
    return `${name} has ${attachment.size.toLocaleString('en-US')} bytes, and ${channel.displayName} takes at most ${channel.media.maxBytes.toLocaleString('en-US')}`;
  }
  return messengerPlatformOf(channel.adapter)?.refusesFile?.(attachment);
}

export function refusedNotice(message: AgentMessage, reasons: string[]): SystemNotice {
  return { id: `attachment-refused:${message.id}`, kind: 'attachment_not_delivered', text: `Not delivered: ${reasons.join('; ')}. Send it in another format.` };
}

/**
 * Tells the agent, in the conversation, which of their attachments the channel cannot take,
 * instead of letting them vanish. Posted once per message, like the too-long notice.
 */
export function createRefusedAttachmentNotifier(deps: RefusedNoticeDeps) {
  return async (channel: ChannelRuntime, message: AgentMessage, reasons: string[]): Promise<void> => {
    const session = await deps.store.findSessionByConversationSid(message.conversationSid);
    if (!session) return;
    const notice = refusedNotice(message, reasons);
    if ((await postNoticeOnce(deps.gateway, session, notice)) === 'already_posted') return;
    deps.logger.info(
      { channel: channel.channelType, messageSid: message.id, refused: reasons.length },
      'agent attachment not taken by the channel; agent told',
    );
  };
}

export type RefusedAttachmentNotifier = ReturnType<typeof createRefusedAttachmentNotifier>;
