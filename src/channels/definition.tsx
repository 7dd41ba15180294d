import React from 'react';
import { ChannelDefinition, isTaskOfChannel, maxMessageLengthOf } from '@custom-channels/contract';
import type * as Flex from '@twilio/flex-ui';
import { ChannelIcon } from './ChannelIcon';
import { applyTemplates } from './templates';
import { presenceTaskListItem } from '../presence/PresenceTaskListItem';

export interface BuiltChannel {
  definition: Flex.TaskChannelDefinition;
  /** Template texts to add to manager.strings. */
  strings: Record<string, string>;
}

/** The name of a channel's definition in Flex.TaskChannels. */
export function definitionName(channelType: string): string {
  return `CustomChannel:${channelType}`;
}

/**
 * Builds the Flex definition of one custom channel on top of Flex's chat defaults, so
 * chat capabilities, notifications and status colors behave as Flex's own chat channels.
 * Flex's message input stops the agent at the channel's charLimit.
 */
export function buildChannelDefinition(flex: typeof Flex, channel: ChannelDefinition): BuiltChannel {
  const icon = <ChannelIcon svg={channel.icon} color={channel.color} label={channel.displayName} />;
  const definition = flex.DefaultTaskChannels.createChatTaskChannel({
    name: definitionName(channel.channelType),
    isApplicable: (task) => isTaskOfChannel(task, channel.channelType),
    icon,
    iconActive: icon,
    color: channel.color,
    charLimit: maxMessageLengthOf(channel),
  });
  definition.icons = { ...definition.icons, list: iconsByStatus(definition, channel) };
  definition.replacedComponents = [...(definition.replacedComponents ?? []), presenceTaskListItem()];
  return { definition, strings: applyTemplates(definition, channel) };
}

/** The task list icon takes the color Flex gives the status: brand color while live, grey after. */
function iconsByStatus(definition: Flex.TaskChannelDefinition, channel: ChannelDefinition): Record<string, JSX.Element> {
  const colors = definition.colors?.main;
  const byStatus = typeof colors === 'object' && colors !== null ? (colors as Record<string, string>) : {};
  const icons: Record<string, JSX.Element> = {};
  for (const [status, color] of Object.entries(byStatus)) {
    icons[status] = <ChannelIcon svg={channel.icon} color={color} label={channel.displayName} />;
  }
  return icons;
}
