/**
 * The panel's own texts, as manager.strings keys so a deployment can translate them. Flex's
 * keys never contain a dot; the plugin's prefix keeps other plugins' keys apart.
 */
export const PANEL_STRINGS = {
  'PluginCustomChannels.Panel.Customer': 'Customer',
  'PluginCustomChannels.Panel.Presence.online': 'Connected to the chat now',
  'PluginCustomChannels.Panel.Presence.offline': 'Not connected to the chat now',
  'PluginCustomChannels.Panel.Presence.unknown': 'Whether the customer is online is not known on this channel',
  'PluginCustomChannels.Panel.Carries': 'What the channel carries',
  'PluginCustomChannels.Panel.MessageLength': 'Text messages up to {{maxMessageLength}} characters',
  'PluginCustomChannels.Panel.Attachments': 'Attachments up to {{maxMegabytes}} MB: {{accept}}',
  'PluginCustomChannels.Panel.NoAttachments': 'No attachments',
  'PluginCustomChannels.Panel.NoValue': '—',
  'PluginCustomChannels.Panel.Copy': 'Copy',
  'PluginCustomChannels.Panel.Copied': 'Copied',
};

export type PanelStringKey = keyof typeof PANEL_STRINGS;

/** Reads a panel text, falling back to the built-in English one. */
export type PanelText = (key: PanelStringKey) => string;
