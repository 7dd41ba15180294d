import { acceptsType, essenceOf } from '@custom-channels/contract';
import type { ChannelRuntime } from '../config/channels.js';
import type { InboundAttachment } from '../inbound/inbound-message.js';
import { bareHost, literalHostProblem } from './address-guard.js';
import { PUBLIC_HTTPS_ONLY } from './fetch-rules.js';

export type AttachmentCheck = { ok: true } | { ok: false; field: string; message: string };

/** Why a URL may not be fetched for this channel, as far as it can be told before connecting. */
export function urlProblem(value: string, channel: Pick<ChannelRuntime, 'mediaFetch'>): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute URL';
  }
  const rules = channel.mediaFetch ?? PUBLIC_HTTPS_ONLY;
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && rules.allowHttp)) {
    return rules.allowHttp ? 'must be an http or https URL' : 'must be an https URL (plain http is not allowed for this channel)';
  }
  if (url.username || url.password) return 'must not carry credentials';
  if (rules.allowHosts.has(bareHost(url.hostname))) return undefined;
  const problem = literalHostProblem(url.hostname);
  return problem && `has a host that ${problem}`;
}

/**
 * The attachment checks that can be made before the message is accepted: the channel takes
 * attachments, each URL may be fetched, each declared type is accepted. What only the
 * download can tell (DNS, redirects, size, the served type) is checked then.
 */
export function checkInboundAttachments(media: InboundAttachment[] | undefined, channel: Pick<ChannelRuntime, 'media' | 'mediaFetch'>): AttachmentCheck {
  if (!media) return { ok: true };
  if (!channel.media) return { ok: false, field: '/media', message: 'is not allowed: this channel takes text only' };
  for (const [index, attachment] of media.entries()) {
    const problem = urlProblem(attachment.url ?? '', channel);
    if (problem) return { ok: false, field: `/media/${index}/url`, message: problem };
    if (attachment.contentType !== undefined && !acceptsType(channel.media, attachment.contentType)) {
      const accepted = channel.media.accept.join(', ');
      return {
        ok: false,
        field: `/media/${index}/contentType`,
        message: `${essenceOf(attachment.contentType)} is not a type this channel takes (${accepted})`,
      };
    }
  }
  return { ok: true };
}
