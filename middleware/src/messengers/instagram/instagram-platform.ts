import type { MessengerPlatform } from '../messenger-platform.js';
import { locateInstagramFile } from './instagram-files.js';
import { ACCOUNT_ID_OPTION, HUMAN_AGENT_OPTION } from './instagram-options.js';
import { instagramReachability } from './instagram-reachability.js';

/** An Instagram professional account through Meta's Messenger Platform: webhooks in, the Send API out. */
export const instagramPlatform: MessengerPlatform = {
  adapter: 'instagram',
  name: 'Instagram',
  schema: { summary: 'an Instagram professional account (Messenger Platform)', textLimit: 1000 },
  open: async () => (await import('./index.js')).createInstagramParts(),
  reachability: instagramReachability,
  locateFile: locateInstagramFile,
  settings: {
    tokenSuffix: 'ACCESS_TOKEN',
    tokenMeaning: 'the Page access token of the Facebook Page linked to the Instagram account',
    secretMeaning: 'the App Secret of the Meta app (App settings > Basic)',
    options: {
      [HUMAN_AGENT_OPTION]: (value, prefix) => (value === 'true' || value === 'false' ? undefined : `${prefix}_${HUMAN_AGENT_OPTION} must be true or false`),
      [ACCOUNT_ID_OPTION]: (value, prefix) => (/^\d{1,32}$/.test(value) ? undefined : `${prefix}_${ACCOUNT_ID_OPTION} must be the account's numeric id`),
    },
  },
  setup: {
    loadRegistration: async () => (await import('./instagram-setup.js')).registerInstagramWebhook,
    consoleStep: (channelType) =>
      `Channel "${channelType}": in Meta's App Dashboard, add the Messenger product's Instagram settings (or "Instagram" use case), grant the app instagram_basic, instagram_manage_messages and pages_manage_metadata (and Human Agent if agents answer after 24 hours), set the callback URL and verify token shown above under Webhooks, subscribe the fields messages, messaging_postbacks, messaging_seen and message_reactions, and in the Instagram app allow access to messages (Settings > Privacy > Messages > Connected tools).`,
    firstMessage: (channelType) =>
      `Channel "${channelType}": from another Instagram account, send a direct message to the account: it arrives in Flex as a task.`,
  },
};
