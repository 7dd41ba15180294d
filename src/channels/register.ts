import type { ChannelDefinition } from '@custom-channels/contract';
import type * as Flex from '@twilio/flex-ui';
import { buildChannelDefinition } from './definition';
import { channelsToRegister, FlexConfigurationWithOverrides } from './config';

export interface RegistrationReport {
  /** The channels Flex now has a definition for, as they were validated and merged. */
  registered: ChannelDefinition[];
  problems: string[];
}

/**
 * Registers one task channel definition per configured channel. Runs synchronously in the
 * plugin's init(): Flex wires channel components once, when the manager loads. A bad
 * channel is reported on the console and skipped; it never stops Flex for the agents.
 */
export function registerCustomChannels(flex: typeof Flex, manager: Flex.Manager): RegistrationReport {
  const configuration = manager.configuration as FlexConfigurationWithOverrides | undefined;
  const { channels, problems } = channelsToRegister(configuration);
  const registered: ChannelDefinition[] = [];
  let strings: Record<string, string> = {};
  for (const channel of channels) {
    try {
      const built = buildChannelDefinition(flex, channel);
      flex.TaskChannels.register(built.definition);
      strings = { ...strings, ...built.strings };
      registered.push(channel);
    } catch (error) {
      problems.push(`channel "${channel.channelType}": could not be registered: ${(error as Error).message}`);
    }
  }
  manager.strings = { ...manager.strings, ...strings };
  for (const problem of problems) console.error(`[plugin-custom-channels] ${problem}; skipped`);
  return { registered, problems };
}
