import React from 'react';
import { isTaskOfChannel, mediaPolicyOf, type ChannelDefinition } from '@custom-channels/contract';
import type * as Flex from '@twilio/flex-ui';
import { AttachmentButton } from './AttachmentButton';
import { ATTACHMENT_STRINGS, type AttachmentStringKey } from './strings';

export function attachmentButtonKey(channelType: string): string {
  return `custom-channel-attach-${channelType}`;
}

/**
 * Flex 2.17 offers its own attach button only for its web chat and its messaging channels,
 * never for a custom channel's conversation. This adds one to the message input of each
 * channel whose `media` allows attachments, for that channel's tasks only; a text-only
 * channel gets none.
 */
export function addAttachmentButtons(flex: typeof Flex, manager: Flex.Manager, channels: ChannelDefinition[]): void {
  manager.strings = { ...ATTACHMENT_STRINGS, ...manager.strings };
  const strings = () => manager.strings as unknown as Record<string, string | undefined>;
  const text = (key: AttachmentStringKey, values: Record<string, string> = {}) => {
    const template = strings()[`PluginCustomChannels.Attachment.${key}`] ?? ATTACHMENT_STRINGS[`PluginCustomChannels.Attachment.${key}`];
    return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => values[name] ?? '');
  };
  for (const channel of channels) {
    const media = mediaPolicyOf(channel);
    if (!media) continue;
    const isChannels = (props: { conversationSid?: string }) => {
      const task = props.conversationSid ? flex.TaskHelper.getTaskFromConversationSid(props.conversationSid) : undefined;
      return task !== undefined && task !== null && isTaskOfChannel(task, channel.channelType);
    };
    flex.MessageInputActions.Content.add(
      <AttachmentButton key={attachmentButtonKey(channel.channelType)} channelName={channel.displayName} media={media} text={text} />,
      { sortOrder: -1, if: isChannels },
    );
  }
}
