import React from 'react';
import type { ChannelDefinition } from '@custom-channels/contract';
import type * as Flex from '@twilio/flex-ui';
import { NewMessageControl } from './NewMessageControl';
import { OUTBOUND_STRINGS, type OutboundStringKey } from './strings';

/** The part of Flex's configuration (ui_attributes) this control reads. */
interface OutboundConfiguration {
  custom_data?: { customChannelsMiddlewareUrl?: unknown } | null;
}

/**
 * Adds the New message control to Flex's main header when the Flex configuration names the
 * middleware (`custom_data.customChannelsMiddlewareUrl`) and some channel enables outbound.
 */
export function addNewMessageControl(flex: typeof Flex, manager: Flex.Manager, channels: ChannelDefinition[]): void {
  const middlewareUrl = (manager.configuration as OutboundConfiguration).custom_data?.customChannelsMiddlewareUrl;
  const outbound = channels.filter((channel) => channel.outbound);
  if (typeof middlewareUrl !== 'string' || !middlewareUrl || outbound.length === 0) return;
  manager.strings = { ...OUTBOUND_STRINGS, ...manager.strings };
  const text = (key: OutboundStringKey) => (manager.strings as unknown as Record<string, string | undefined>)[key] ?? OUTBOUND_STRINGS[key];
  const token = () => (manager as unknown as { user?: { token?: string } }).user?.token;
  flex.MainHeader.Content.add(
    <NewMessageControl key="custom-channels-new-message" channels={outbound} middlewareUrl={middlewareUrl} token={token} text={text} />,
    {
      sortOrder: -1,
      align: 'end',
    },
  );
}
