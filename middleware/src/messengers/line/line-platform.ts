import { neverContacted } from '../first-contact.js';
import type { MessengerPlatform } from '../messenger-platform.js';
import { locateLineFile } from './line-file-source.js';

/** A LINE Official Account: Messaging API webhooks in, push messages out. */
export const linePlatform: MessengerPlatform = {
  adapter: 'line',
  name: 'LINE',
  schema: { summary: 'a LINE Official Account', textLimit: 5000 },
  // LINE's SDK weighs about 30 MB in memory: loaded only when a channel uses LINE.
  open: async () => (await import('./index.js')).createLineParts(),
  reachability: (customer) =>
    customer
      ? { reachable: true, notice: "sent as a LINE push message: it counts against the account's monthly message quota" }
      : neverContacted('this LINE user has never written to the account: LINE push messages reach only users who added (follow) it'),
  locateFile: locateLineFile,
  settings: {
    tokenSuffix: 'ACCESS_TOKEN',
    tokenMeaning: 'the channel access token (long-lived) from the LINE Developers Console',
    secretMeaning: 'the channel secret from the LINE Developers Console',
  },
  setup: {
    loadRegistration: async () => (await import('./line-setup.js')).registerLineWebhook,
    consoleStep: (channelType) =>
      `Channel "${channelType}": in the LINE Developers Console, Messaging API tab, turn "Use webhook" on, and turn "Auto-reply messages" off (customers' messages then reach agents only).`,
    firstMessage: (channelType) =>
      `Channel "${channelType}": add the LINE Official Account as a friend (its QR code is in the Messaging API tab) and write to it.`,
  },
};
