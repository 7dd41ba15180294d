import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChannelDefinition, ChannelMedia } from '@custom-channels/contract';

const ICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><circle cx="12" cy="12" r="10" fill="currentColor"/></svg>';

/**
 * A channels.json with one `webhook` channel (chatapp) and one `webchat` channel, in a temp folder;
 * `maxMessageLength` gives either channel a limit of its own, `media` the attachments it takes,
 * `chatapp` more fields of that channel (e.g. `legacyBodySignature`).
 */
export function writeChannelsFile(
  maxMessageLength: { chatapp?: number; webchat?: number } = {},
  media: { chatapp?: ChannelMedia; webchat?: ChannelMedia } = {},
  chatapp: Partial<ChannelDefinition> = {},
): string {
  const file = join(mkdtempSync(join(tmpdir(), 'cc-channels-')), 'channels.json');
  writeFileSync(
    file,
    JSON.stringify({
      channels: [
        {
          channelType: 'chatapp',
          displayName: 'Chat App',
          color: '#1F6FEB',
          icon: ICON,
          adapter: 'webhook',
          maxMessageLength: maxMessageLength.chatapp,
          media: media.chatapp,
          ...chatapp,
        },
        {
          channelType: 'webchat',
          displayName: 'Web Chat',
          color: '#0E7C3A',
          icon: ICON,
          adapter: 'webchat',
          maxMessageLength: maxMessageLength.webchat,
          media: media.webchat,
        },
      ],
    }),
  );
  return file;
}
