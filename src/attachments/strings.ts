/** The attach button's texts: manager.strings keys, so a translation can replace them. */
export const ATTACHMENT_STRINGS = {
  'PluginCustomChannels.Attachment.Attach': 'Attach a file for {{channel}}',
  'PluginCustomChannels.Attachment.RefusedType': 'Not sent: {{name}} is {{type}}, and {{channel}} takes only {{accepted}}.',
  'PluginCustomChannels.Attachment.RefusedSize': 'Not sent: {{name}} is larger than {{limit}}, the most {{channel}} takes.',
} as const;

export type AttachmentStringKey = 'Attach' | 'RefusedType' | 'RefusedSize';
