import React from 'react';
import { isTaskOfChannel, type ChannelDefinition } from '@custom-channels/contract';
import type * as Flex from '@twilio/flex-ui';
import { ChannelPanel } from './ChannelPanel';
import { PANEL_STRINGS, PanelStringKey } from './strings';

/** The key of a channel's panel in Flex.TaskInfoPanel.Content. */
export function panelKey(channelType: string): string {
  return `custom-channel-panel-${channelType}`;
}

/**
 * Adds one panel per registered channel to the task's Info tab (Flex.TaskInfoPanel), shown
 * only for that channel's tasks, above Flex's own task context.
 */
export function addChannelPanels(flex: typeof Flex, manager: Flex.Manager, channels: ChannelDefinition[]): void {
  // Texts already in manager.strings (a translation) win over the built-in ones.
  manager.strings = { ...PANEL_STRINGS, ...manager.strings };
  const text = (key: PanelStringKey) => (manager.strings as unknown as Record<string, string | undefined>)[key] ?? PANEL_STRINGS[key];
  for (const channel of channels) {
    flex.TaskInfoPanel.Content.add(<ChannelPanel key={panelKey(channel.channelType)} channel={channel} text={text} />, {
      sortOrder: -1,
      if: (props: { task?: Flex.ITask }) => props.task !== undefined && isTaskOfChannel(props.task, channel.channelType),
    });
  }
}
