import { neverContacted } from '../first-contact.js';
import type { MessengerPlatform } from '../messenger-platform.js';

// Telegram accepts only these characters in setWebhook's secret_token.
const TELEGRAM_SECRET = /^[A-Za-z0-9_-]{1,256}$/;

/** A Telegram bot: Bot API webhooks in, sendMessage out. */
export const telegramPlatform: MessengerPlatform = {
  adapter: 'telegram',
  name: 'Telegram',
  schema: { summary: 'a Telegram bot', textLimit: 4096 },
  open: async () => (await import('./index.js')).createTelegramParts(),
  reachability: (customer) =>
    customer ? { reachable: true } : neverContacted('this Telegram chat has never written to the bot: Telegram lets a bot write only to chats that started it'),
  locateFile: async (channel, fileId) => (await import('./telegram-file-source.js')).locateTelegramFile(channel, fileId),
  settings: {
    tokenSuffix: 'BOT_TOKEN',
    tokenMeaning: 'the token BotFather gave the bot',
    secretMeaning: 'the secret token Telegram sends with every update (16-256 of A-Z a-z 0-9 _ -)',
    secretProblem: (secret, prefix) =>
      TELEGRAM_SECRET.test(secret) ? undefined : `${prefix}_SECRET may hold only A-Z, a-z, 0-9, _ and - (Telegram's rule for the webhook secret token)`,
  },
  setup: {
    loadRegistration: async () => (await import('./telegram-setup.js')).registerTelegramWebhook,
    firstMessage: (channelType) => `Channel "${channelType}": open your bot in Telegram, press Start and write to it: the message arrives in Flex as a task.`,
  },
};
