import React from 'react';
import { isTaskOfChannel, type ChannelDefinition } from '@custom-channels/contract';
import type * as Flex from '@twilio/flex-ui';
import { createAgentApi, middlewareUrlOf, type AgentApi } from './api';
import { cachedRender, contentReferenceOf, selectionOf, type MessageSource } from './message-content';
import { RichMessageCard } from './RichMessageCard';
import { RichMessageControl } from './RichMessageControl';
import { SelectionChip } from './SelectionChip';

export function richMessageControlKey(channelType: string): string {
  return `custom-channel-rich-${channelType}`;
}

export const RICH_MESSAGE_CARD_KEY = 'custom-channels-rich-card';
export const SELECTION_CHIP_KEY = 'custom-channels-selection';

interface BubbleProps {
  conversationSid?: string;
  message?: { source?: MessageSource };
}

/**
 * Adds the rich message control to the message input of each channel whose channels.json
 * entry offers Content templates (`contentTemplates`), for that channel's tasks only, and to the
 * message bubbles of every custom channel's tasks: an agent's or bot's rich message as a card,
 * a customer's tap as a chip. Cards and the control need the middleware's URL in the Flex
 * configuration (`custom_data.customChannelsMiddlewareUrl`); without it neither is added and,
 * where a channel offers templates, the console says why.
 */
export function addRichMessageControls(flex: typeof Flex, manager: Flex.Manager, channels: ChannelDefinition[], api?: AgentApi): void {
  if (channels.length === 0) return;
  const taskIsOf = (conversationSid: string | undefined, candidates: ChannelDefinition[]) => {
    const task = conversationSid ? flex.TaskHelper.getTaskFromConversationSid(conversationSid) : undefined;
    return task !== undefined && task !== null && candidates.some((channel) => isTaskOfChannel(task, channel.channelType));
  };
  const isSelection = (props: BubbleProps) =>
    props.message?.source !== undefined && selectionOf(props.message.source) !== undefined && taskIsOf(props.conversationSid, channels);
  // The chip says what the text `Selected: ...` says.
  flex.MessageBubble.Content.remove('body', { if: isSelection });
  flex.MessageBubble.Content.add(<SelectionChip key={SELECTION_CHIP_KEY} />, { if: isSelection });

  const offering = channels.filter((channel) => channel.contentTemplates?.length);
  const baseUrl = middlewareUrlOf(manager.configuration);
  const agentApi = api ?? (baseUrl && createAgentApi(baseUrl, () => (manager.user as { token?: string } | undefined)?.token));
  if (!agentApi) {
    if (offering.length > 0) {
      console.error('[plugin-custom-channels] rich messages need custom_data.customChannelsMiddlewareUrl in the Flex configuration; no control added');
    }
    return;
  }
  const isRich = (props: BubbleProps) =>
    props.message?.source !== undefined && contentReferenceOf(props.message.source) !== undefined && taskIsOf(props.conversationSid, channels);
  flex.MessageBubble.Content.add(<RichMessageCard key={RICH_MESSAGE_CARD_KEY} render={cachedRender(agentApi)} />, { if: isRich });

  for (const channel of offering) {
    flex.MessageInputActions.Content.add(
      <RichMessageControl
        key={richMessageControlKey(channel.channelType)}
        channelType={channel.channelType}
        channelName={channel.displayName}
        api={agentApi}
      />,
      { sortOrder: -1, if: (props: { conversationSid?: string }) => taskIsOf(props.conversationSid, [channel]) },
    );
  }
}
