import React from 'react';
import { isTaskOfChannel, type ChannelDefinition } from '@custom-channels/contract';
import type * as Flex from '@twilio/flex-ui';
import { createAgentApi, middlewareUrlOf, type AgentApi } from './api';
import { RichMessageControl } from './RichMessageControl';

export function richMessageControlKey(channelType: string): string {
  return `custom-channel-rich-${channelType}`;
}

/**
 * Adds the rich message control to the message input of each channel whose channels.json
 * entry offers Content templates (`contentTemplates`), for that channel's tasks only. It
 * needs the middleware's URL in the Flex configuration (`custom_data.customChannelsMiddlewareUrl`);
 * without it no control is added and the console says why.
 */
export function addRichMessageControls(flex: typeof Flex, manager: Flex.Manager, channels: ChannelDefinition[], api?: AgentApi): void {
  const offering = channels.filter((channel) => channel.contentTemplates?.length);
  if (offering.length === 0) return;
  const baseUrl = middlewareUrlOf(manager.configuration);
  const agentApi = api ?? (baseUrl && createAgentApi(baseUrl, () => (manager.user as { token?: string } | undefined)?.token));
  if (!agentApi) {
    console.error('[plugin-custom-channels] rich messages need custom_data.customChannelsMiddlewareUrl in the Flex configuration; no control added');
    return;
  }
  for (const channel of offering) {
    const isChannels = (props: { conversationSid?: string }) => {
      const task = props.conversationSid ? flex.TaskHelper.getTaskFromConversationSid(props.conversationSid) : undefined;
      return task !== undefined && task !== null && isTaskOfChannel(task, channel.channelType);
    };
    flex.MessageInputActions.Content.add(
      <RichMessageControl
        key={richMessageControlKey(channel.channelType)}
        channelType={channel.channelType}
        channelName={channel.displayName}
        api={agentApi}
      />,
      { sortOrder: -1, if: isChannels },
    );
  }
}
