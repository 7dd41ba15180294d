import type { MessengerPlatform } from '../messenger-platform.js';
import { locateViberFile } from './viber-file-source.js';
import { viberReachability } from './viber-reachability.js';
import { viberRefusal } from './viber-sends.js';

/** A Viber bot: REST bot API callbacks in, send_message out. */
export const viberPlatform: MessengerPlatform = {
  adapter: 'viber',
  name: 'Viber',
  schema: { summary: 'a Viber bot', textLimit: 7000 },
  open: async () => (await import('./index.js')).createViberParts(),
  refusesFile: viberRefusal,
  reachability: viberReachability,
  locateFile: locateViberFile,
  settings: {
    tokenSuffix: 'AUTH_TOKEN',
    tokenMeaning: "the bot's authentication token from the Viber Admin Panel",
    // Viber signs its callbacks with the same token: there is no separate secret.
  },
  setup: {
    loadRegistration: async () => (await import('./viber-setup.js')).registerViberWebhook,
    firstMessage: (channelType) =>
      `Channel "${channelType}": open the bot in Viber (its link or QR code is in the Viber Admin Panel), and write to it: the message arrives in Flex as a task.`,
  },
};
