import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startInstagramStandIn } from './instagram-standin.js';
import { startLineStandIn } from './line-standin.js';
import { startTelegramStandIn } from './telegram-standin.js';
import { startViberStandIn } from './viber-standin.js';

const ICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><circle cx="12" cy="12" r="10" fill="currentColor"/></svg>';

export const TELEGRAM_TEST = { channelType: 'telegram', token: '7000000001:AAtest-token_for-the-stand-in', secret: 'telegram-webhook-secret-0123456789' };
export const LINE_TEST = { channelType: 'line-oa', channelSecret: '0123456789abcdef0123456789abcdef', accessToken: 'line-channel-access-token-for-tests' };
export const VIBER_TEST = { channelType: 'viber-bot', authToken: '4a1b2c3d4e5f6a7b-8c9d0e1f2a3b4c5d-6e7f8a9b0c1d2e3f', senderName: 'Support' };
export const INSTAGRAM_TEST = {
  channelType: 'instagram',
  appSecret: 'fedcba9876543210fedcba9876543210',
  accessToken: 'EAAinstagram-page-access-token-for-tests',
};
/** What the messenger channels take: photos (WebP for stickers) and PDFs, not videos or voice messages. */
export const MESSENGER_MEDIA = { accept: ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'], maxBytes: 5 * 1024 * 1024 };
export const ENDED_TEXT = 'Thanks for writing to us. This chat is closed.';

/**
 * A Telegram, a LINE, a Viber and an Instagram stand-in, and the middleware environment of five channels on them:
 * `chatapp` (webhook), `telegram`, `line-oa`, `viber-bot` and `instagram`, the messengers with their credentials.
 */
export async function startMessengerStandIns() {
  const telegram = await startTelegramStandIn({ token: TELEGRAM_TEST.token });
  const line = await startLineStandIn({ channelSecret: LINE_TEST.channelSecret, accessToken: LINE_TEST.accessToken });
  const viber = await startViberStandIn({ authToken: VIBER_TEST.authToken });
  const instagram = await startInstagramStandIn({ appSecret: INSTAGRAM_TEST.appSecret, accessToken: INSTAGRAM_TEST.accessToken });
  const file = join(mkdtempSync(join(tmpdir(), 'cc-messengers-')), 'channels.json');
  const channel = (channelType: string, adapter: string, extra: Record<string, unknown> = {}) => ({
    channelType,
    displayName: channelType,
    color: '#229ED9',
    icon: ICON,
    adapter,
    ...extra,
  });
  writeFileSync(
    file,
    JSON.stringify({
      channels: [
        channel('chatapp', 'webhook'),
        channel(TELEGRAM_TEST.channelType, 'telegram', { endedText: ENDED_TEXT, media: MESSENGER_MEDIA }),
        channel(LINE_TEST.channelType, 'line', { media: MESSENGER_MEDIA }),
        channel(INSTAGRAM_TEST.channelType, 'instagram', { media: MESSENGER_MEDIA }),
        channel(VIBER_TEST.channelType, 'viber', { media: MESSENGER_MEDIA, sender: { name: VIBER_TEST.senderName } }),
      ],
    }),
  );
  const env = {
    CHANNELS_FILE: file,
    CHANNEL_TELEGRAM_BOT_TOKEN: TELEGRAM_TEST.token,
    CHANNEL_TELEGRAM_SECRET: TELEGRAM_TEST.secret,
    CHANNEL_TELEGRAM_API_BASE_URL: telegram.url,
    // The stand-ins are on this machine over plain http, as every attachment test allows its media host.
    CHANNEL_TELEGRAM_MEDIA_ALLOW_HTTP: 'true',
    CHANNEL_TELEGRAM_MEDIA_ALLOW_HOSTS: '127.0.0.1',
    CHANNEL_LINE_OA_MEDIA_ALLOW_HTTP: 'true',
    CHANNEL_LINE_OA_MEDIA_ALLOW_HOSTS: '127.0.0.1',
    CHANNEL_LINE_OA_SECRET: LINE_TEST.channelSecret,
    CHANNEL_LINE_OA_ACCESS_TOKEN: LINE_TEST.accessToken,
    CHANNEL_LINE_OA_API_BASE_URL: line.url,
    CHANNEL_VIBER_BOT_AUTH_TOKEN: VIBER_TEST.authToken,
    CHANNEL_VIBER_BOT_API_BASE_URL: viber.apiBaseUrl,
    CHANNEL_VIBER_BOT_MEDIA_ALLOW_HTTP: 'true',
    CHANNEL_VIBER_BOT_MEDIA_ALLOW_HOSTS: '127.0.0.1',
    CHANNEL_INSTAGRAM_MEDIA_ALLOW_HTTP: 'true',
    CHANNEL_INSTAGRAM_MEDIA_ALLOW_HOSTS: '127.0.0.1',
    CHANNEL_INSTAGRAM_SECRET: INSTAGRAM_TEST.appSecret,
    CHANNEL_INSTAGRAM_ACCESS_TOKEN: INSTAGRAM_TEST.accessToken,
    CHANNEL_INSTAGRAM_API_BASE_URL: instagram.url,
    CHANNEL_INSTAGRAM_HUMAN_AGENT_TAG: 'true',
  };
  return {
    telegram,
    line,
    viber,
    instagram,
    env,
    async close() {
      await telegram.close();
      await line.close();
      await viber.close();
      await instagram.close();
    },
  };
}
