import { ChannelDefinition, mergeChannelOverrides, validateChannelsConfig } from '@custom-channels/contract';
import channelsFile from '@channels-config';

export interface ChannelsToRegister {
  channels: ChannelDefinition[];
  problems: string[];
}

/** The part of Flex's configuration (ui_attributes) this plugin reads. */
export interface FlexConfigurationWithOverrides {
  custom_data?: { customChannels?: unknown } | null;
}

/**
 * The channels from the bundled channels.json with the runtime overrides of the Flex
 * configuration merged over them. Never throws: every problem is returned for reporting.
 */
export function channelsToRegister(configuration: FlexConfigurationWithOverrides | undefined): ChannelsToRegister {
  const bundled = validateChannelsConfig(channelsFile);
  const base = bundled.ok ? bundled.value.channels : [];
  const merged = mergeChannelOverrides(base, configuration?.custom_data?.customChannels);
  return {
    channels: merged.channels,
    problems: bundled.ok ? merged.problems : [...bundled.problems, ...merged.problems],
  };
}
