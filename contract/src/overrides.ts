import type { ChannelDefinition, ChannelTemplates } from './types';
import { validateChannelDefinition } from './validation/validate';

export interface MergeResult {
  channels: ChannelDefinition[];
  /** One message per rejected entry or field; the entries they name were skipped. */
  problems: string[];
}

const OVERRIDES_LABEL = 'custom_data.customChannels';

/**
 * Merges runtime overrides (an object keyed by channelType, e.g. from the Flex
 * configuration's ui_attributes) over the channels from channels.json. A key naming a
 * known channel overrides the fields it gives (templates merge line by line); a new key
 * adds a channel. An invalid entry is reported and skipped, never applied half-way.
 */
export function mergeChannelOverrides(base: readonly ChannelDefinition[], overrides: unknown): MergeResult {
  if (overrides === undefined || overrides === null) return { channels: [...base], problems: [] };
  if (!isPlainObject(overrides)) {
    return { channels: [...base], problems: [`${OVERRIDES_LABEL}: must be an object keyed by channelType`] };
  }
  const channels = [...base];
  const problems: string[] = [];
  for (const [channelType, override] of Object.entries(overrides)) {
    const label = `${OVERRIDES_LABEL}["${channelType}"]`;
    if (!isPlainObject(override)) {
      problems.push(`${label}: must be an object of channel fields`);
      continue;
    }
    if (override.channelType !== undefined && override.channelType !== channelType) {
      problems.push(`${label}: field "channelType" must equal its key "${channelType}" when given`);
      continue;
    }
    const index = channels.findIndex((channel) => channel.channelType === channelType);
    const merged = index >= 0 ? mergeChannel(channels[index]!, override) : { ...override, channelType };
    const validation = validateChannelDefinition(merged, label);
    if (!validation.ok) {
      problems.push(...validation.problems);
      continue;
    }
    if (index >= 0) channels[index] = validation.value;
    else channels.push(validation.value);
  }
  return { channels, problems };
}

function mergeChannel(channel: ChannelDefinition, override: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...channel, ...override };
  if (isPlainObject(override.templates)) merged.templates = mergeTemplates(channel.templates ?? {}, override.templates);
  return merged;
}

function mergeTemplates(base: ChannelTemplates, override: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [group, lines] of Object.entries(override)) {
    const baseLines = (base as Record<string, unknown>)[group];
    merged[group] = isPlainObject(lines) && isPlainObject(baseLines) ? { ...baseLines, ...lines } : lines;
  }
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
