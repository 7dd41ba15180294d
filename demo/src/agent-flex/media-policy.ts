/**
 * The attachment rules of the demo's channels, shared by the agent view's server (which
 * checks an upload) and its page (which checks a file before sending it).
 */
import { acceptsType, essenceOf, mediaPolicyOf, type ChannelDefinition, type MediaPolicy } from '@custom-channels/contract';

/** Each channel's attachment rules by channel type, from channels.json; text-only channels are absent. */
export function mediaPolicies(channels: ChannelDefinition[]): Record<string, MediaPolicy> {
  const policies: Record<string, MediaPolicy> = {};
  for (const channel of channels) {
    const policy = mediaPolicyOf(channel);
    if (policy) policies[channel.channelType] = policy;
  }
  return policies;
}

/** The task's custom channel, from its attributes: Flex may rewrite `channelType`, `customChannelType` survives. */
export function taskChannelType(attributes: Record<string, unknown>): string | undefined {
  const type = attributes.customChannelType ?? attributes.channelType;
  return typeof type === 'string' ? type : undefined;
}

export interface UploadRefusal {
  status: 413 | 415;
  code: 'media_not_accepted' | 'media_too_large';
  message: string;
}

/** Why an agent's upload does not fit the channel's rules (the page checks first; this is the server's own check). */
export function uploadRefusal(policy: MediaPolicy | undefined, contentType: string, length: number | undefined): UploadRefusal | undefined {
  if (!policy) return { status: 415, code: 'media_not_accepted', message: 'this channel takes text only' };
  if (!acceptsType(policy, contentType)) {
    return { status: 415, code: 'media_not_accepted', message: `this channel does not take ${essenceOf(contentType)}; it takes ${policy.accept.join(', ')}` };
  }
  if (length !== undefined && length > policy.maxBytes) {
    return { status: 413, code: 'media_too_large', message: `this channel takes files up to ${policy.maxBytes} bytes` };
  }
  return undefined;
}
