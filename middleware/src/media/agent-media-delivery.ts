import { essenceOf } from '@custom-channels/contract';
import type { ChannelRuntime } from '../config/channels.js';
import type { ChannelEvent } from '../delivery/channel-events.js';
import type { AgentAttachment } from './agent-media.js';
import type { MediaLinks } from './media-links.js';
import { refusalOf, type RefusedAttachmentNotifier } from './refused-attachment-notice.js';

/**
 * Turns a delivery's stored attachments into what the channel gets: a signed, expiring link
 * for each file the channel takes; the agent is told about the others. Undefined when
 * nothing is left to deliver (an attachment-only message whose files were all refused).
 */
export function createAgentMediaDelivery(deps: { links: MediaLinks; notifyRefused: RefusedAttachmentNotifier }) {
  return async (
    channel: ChannelRuntime,
    { event, attachments }: { event: ChannelEvent; attachments?: AgentAttachment[] },
  ): Promise<ChannelEvent | undefined> => {
    if (event.type !== 'message' || !attachments?.length) return event;
    const refusals = attachments.map((attachment) => refusalOf(channel, attachment));
    const reasons = refusals.filter((reason): reason is string => reason !== undefined);
    if (reasons.length > 0) await deps.notifyRefused(channel, event, reasons);
    const taken = attachments.filter((_, index) => refusals[index] === undefined);
    if (taken.length === 0) return event.text ? event : undefined;
    const media = taken.map((attachment) => ({
      url: deps.links.urlFor(attachment.serviceSid, attachment.sid),
      contentType: essenceOf(attachment.contentType),
      filename: attachment.filename ?? null,
      size: attachment.size ?? null,
    }));
    return { ...event, media };
  };
}

export type AgentMediaDelivery = ReturnType<typeof createAgentMediaDelivery>;
