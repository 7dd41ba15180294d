/** The New message control's texts, as manager.strings keys so a deployment can translate them. */
export const OUTBOUND_STRINGS = {
  'PluginCustomChannels.Outbound.Button': 'New message',
  'PluginCustomChannels.Outbound.Title': 'Start a conversation',
  'PluginCustomChannels.Outbound.Channel': 'Channel',
  'PluginCustomChannels.Outbound.Customer': 'Customer id',
  'PluginCustomChannels.Outbound.Search': 'Search by name or id',
  'PluginCustomChannels.Outbound.Matches': 'Customers you can write to',
  'PluginCustomChannels.Outbound.Message': 'First message',
  'PluginCustomChannels.Outbound.Send': 'Send',
  'PluginCustomChannels.Outbound.Sending': 'Sending…',
  'PluginCustomChannels.Outbound.Accepted': 'Sent. The conversation arrives in your task list.',
  'PluginCustomChannels.Outbound.Failed': 'Not sent: {{reason}}',
  'PluginCustomChannels.Outbound.Unreachable': 'the middleware could not be reached; try again',
};

export type OutboundStringKey = keyof typeof OUTBOUND_STRINGS;
export type OutboundText = (key: OutboundStringKey) => string;
