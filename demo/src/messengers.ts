import { channelEnvPrefix, type ChannelDefinition } from '@custom-channels/contract';
import { listening } from '@custom-channels/middleware';
import { startInstagramStandIn } from '@custom-channels/test-kit/messengers/instagram-standin';
import { startLineStandIn } from '@custom-channels/test-kit/messengers/line-standin';
import { startTelegramStandIn } from '@custom-channels/test-kit/messengers/telegram-standin';
import { startViberStandIn } from '@custom-channels/test-kit/messengers/viber-standin';

// Demo values, known to the stand-ins only: never use them elsewhere.
const TELEGRAM = { token: '7000000001:demo-only-bot-token', secret: 'demo-only-telegram-secret-token' };
const LINE = { channelSecret: 'demo0only0line0channel0secret000', accessToken: 'demo-only-line-channel-access-token' };
const VIBER = { authToken: 'demo-only-viber-auth-token-0123456789' };
const INSTAGRAM = { appSecret: 'demo0only0instagram0app0secret00', accessToken: 'demo-only-instagram-page-access-token' };

export interface DemoMessengersOptions {
  host: string;
  /** The demo's channels: the stand-ins play the `telegram`, the `line`, the `viber` and the `instagram` channel among them. */
  channels: ChannelDefinition[];
  telegramPort: number;
  linePort: number;
  viberPort: number;
  instagramPort: number;
}

/**
 * Stand-ins of the Telegram Bot API, the LINE Messaging API, the Viber REST bot API and Meta's Messenger Platform for
 * Instagram, each with a page playing the customer's app, and the environment that points the middleware at them.
 */
export async function startDemoMessengers({ host, channels, telegramPort, linePort, viberPort, instagramPort }: DemoMessengersOptions) {
  const byAdapter = (adapter: string) => {
    const channel = channels.find((candidate) => candidate.adapter === adapter);
    if (!channel) throw new Error(`The demo plays a ${adapter} channel: channels.json has none (the repository's file holds one)`);
    return channel;
  };
  const telegramChannel = byAdapter('telegram');
  const lineChannel = byAdapter('line');
  const viberChannel = byAdapter('viber');
  const instagramChannel = byAdapter('instagram');
  const telegram = await listening('Telegram stand-in', telegramPort, 'DEMO_TELEGRAM_PORT', (port) =>
    startTelegramStandIn({ token: TELEGRAM.token, host, port }),
  );
  const line = await listening('LINE stand-in', linePort, 'DEMO_LINE_PORT', (port) => startLineStandIn({ ...LINE, host, port })).catch(
    async (error: unknown) => {
      await telegram.close();
      throw error;
    },
  );
  const viber = await listening('Viber stand-in', viberPort, 'DEMO_VIBER_PORT', (port) => startViberStandIn({ ...VIBER, host, port })).catch(
    async (error: unknown) => {
      await Promise.all([telegram.close(), line.close()]);
      throw error;
    },
  );
  const instagram = await listening('Instagram stand-in', instagramPort, 'DEMO_INSTAGRAM_PORT', (port) =>
    startInstagramStandIn({ ...INSTAGRAM, host, port }),
  ).catch(async (error: unknown) => {
    await Promise.all([telegram.close(), line.close(), viber.close()]);
    throw error;
  });
  const telegramPrefix = channelEnvPrefix(telegramChannel.channelType);
  const linePrefix = channelEnvPrefix(lineChannel.channelType);
  const viberPrefix = channelEnvPrefix(viberChannel.channelType);
  const instagramPrefix = channelEnvPrefix(instagramChannel.channelType);
  return {
    urls: { telegram: `${telegram.url}/`, line: `${line.url}/`, viber: `${viber.url}/`, instagram: `${instagram.url}/` },
    env: {
      [`${telegramPrefix}_BOT_TOKEN`]: TELEGRAM.token,
      [`${telegramPrefix}_SECRET`]: TELEGRAM.secret,
      [`${telegramPrefix}_API_BASE_URL`]: telegram.url,
      [`${linePrefix}_ACCESS_TOKEN`]: LINE.accessToken,
      [`${linePrefix}_SECRET`]: LINE.channelSecret,
      [`${linePrefix}_API_BASE_URL`]: line.url,
      [`${viberPrefix}_AUTH_TOKEN`]: VIBER.authToken,
      [`${viberPrefix}_API_BASE_URL`]: viber.apiBaseUrl,
      // Customers' pictures come from the stand-ins' media hosts, on plain http on this machine.
      [`${viberPrefix}_MEDIA_ALLOW_HTTP`]: 'true',
      [`${viberPrefix}_MEDIA_ALLOW_HOSTS`]: new URL(viber.url).hostname,
      [`${instagramPrefix}_ACCESS_TOKEN`]: INSTAGRAM.accessToken,
      [`${instagramPrefix}_SECRET`]: INSTAGRAM.appSecret,
      [`${instagramPrefix}_API_BASE_URL`]: instagram.url,
      [`${instagramPrefix}_MEDIA_ALLOW_HTTP`]: 'true',
      [`${instagramPrefix}_MEDIA_ALLOW_HOSTS`]: new URL(instagram.url).hostname,
    },
    /** What `npm run setup` does on the real platforms: their webhooks to the middleware (on plain http here, this machine only). */
    connect(middlewareUrl: string) {
      telegram.useWebhook(`${middlewareUrl}/channels/telegram/${telegramChannel.channelType}`, TELEGRAM.secret);
      line.useEndpoint(`${middlewareUrl}/channels/line/${lineChannel.channelType}`);
      viber.useWebhook(`${middlewareUrl}/channels/viber/${viberChannel.channelType}`);
      instagram.useCallbackUrl(`${middlewareUrl}/channels/instagram/${instagramChannel.channelType}`);
    },
    async close() {
      await Promise.all([telegram.close(), line.close(), viber.close(), instagram.close()]);
    },
  };
}
