// The channel types come from channels.schema.json, and the messenger adapters from the middleware's platform registry, through generated/channels.ts.
import type { Channel, CustomChatChannelsForTwilioFlex, Media, Profile, Template, Templates } from './generated/channels';
import { MESSENGER_ADAPTERS, MESSENGER_TEXT_LIMITS } from './generated/channels';

/** Flex task statuses that templates may be keyed by. */
export const TEMPLATE_STATUSES = ['Pending', 'Reserved', 'Assigned', 'Accepted', 'Wrapping', 'Completed', 'Canceled'] as const;
export type TemplateStatus = (typeof TEMPLATE_STATUSES)[number];

/** One Handlebars text for every status, or one per status. */
export type TemplateText = Template;
export type ChannelTemplates = Templates;
/** One customer field of the channel panel: a label and a template of task attributes. */
export type ProfileField = Profile[number];
/** What a channel takes as attachments, both ways. */
export type ChannelMedia = Media;
/** A custom channel as written in channels.json (see channels.schema.json). */
export type ChannelDefinition = Channel;
export type ChannelsConfig = CustomChatChannelsForTwilioFlex;
export type ChannelAdapter = NonNullable<ChannelDefinition['adapter']>;

export { MESSENGER_ADAPTERS, MESSENGER_TEXT_LIMITS };
export type MessengerAdapter = (typeof MESSENGER_ADAPTERS)[number];

export function isMessengerAdapter(adapter: ChannelAdapter | undefined): adapter is MessengerAdapter {
  return (MESSENGER_ADAPTERS as readonly string[]).includes(adapter ?? '');
}

/** Flex's limit for a chat message, in characters: a channel's default. */
export const FLEX_CHAT_CHAR_LIMIT = 32_768;

/**
 * The longest message a channel takes, both ways: its own setting, else its messenger
 * platform's limit, else Flex's chat limit.
 */
export function maxMessageLengthOf(channel: Pick<ChannelDefinition, 'maxMessageLength' | 'adapter'>): number {
  if (channel.maxMessageLength !== undefined) return channel.maxMessageLength;
  return isMessengerAdapter(channel.adapter) ? MESSENGER_TEXT_LIMITS[channel.adapter] : FLEX_CHAT_CHAR_LIMIT;
}
