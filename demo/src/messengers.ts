import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { channelEnvPrefix, type ChannelDefinition } from '@custom-channels/contract';
import { loadChannelsFile } from '@custom-channels/contract/node';
import { listening } from '@custom-channels/middleware/http/port-in-use';
import { startLineStandIn } from '@custom-channels/test-kit/messengers/line-standin';
import { startTelegramStandIn } from '@custom-channels/test-kit/messengers/telegram-standin';

/** The demo's Telegram and LINE channels, beside those of the root channels.json. */
export const DEMO_MESSENGER_CHANNELS_FILE = fileURLToPath(new URL('../messenger-channels.json', import.meta.url));

// Demo values, known to the stand-ins only: never use them elsewhere.
const TELEGRAM = { token: '7000000001:demo-only-bot-token', secret: 'demo-only-telegram-secret-token' };
const LINE = { channelSecret: 'demo0only0line0channel0secret000', accessToken: 'demo-only-line-channel-access-token' };

export interface DemoMessengersOptions {
  host: string;
  telegramPort: number;
  linePort: number;
}

/**
 * Stand-ins of the Telegram Bot API and the LINE Messaging API, each with a page playing
 * the customer's app, and the channels and environment that point the middleware at them.
 */
export async function startDemoMessengers({ host, telegramPort, linePort }: DemoMessengersOptions) {
  const telegram = await listening('Telegram stand-in', telegramPort, 'DEMO_TELEGRAM_PORT', (port) =>
    startTelegramStandIn({ token: TELEGRAM.token, host, port }),
  );
  const line = await listening('LINE stand-in', linePort, 'DEMO_LINE_PORT', (port) => startLineStandIn({ ...LINE, host, port })).catch(
    async (error: unknown) => {
      await telegram.close();
      throw error;
    },
  );
  const channels = loadChannelsFile(DEMO_MESSENGER_CHANNELS_FILE).channels;
  const byAdapter = (adapter: string) => channels.find((channel) => channel.adapter === adapter)!;
  const telegramChannel = byAdapter('telegram');
  const lineChannel = byAdapter('line');
  const telegramPrefix = channelEnvPrefix(telegramChannel.channelType);
  const linePrefix = channelEnvPrefix(lineChannel.channelType);
  return {
    channels,
    urls: { telegram: `${telegram.url}/`, line: `${line.url}/` },
    env: {
      [`${telegramPrefix}_BOT_TOKEN`]: TELEGRAM.token,
      [`${telegramPrefix}_SECRET`]: TELEGRAM.secret,
      [`${telegramPrefix}_API_BASE_URL`]: telegram.url,
      [`${linePrefix}_ACCESS_TOKEN`]: LINE.accessToken,
      [`${linePrefix}_SECRET`]: LINE.channelSecret,
      [`${linePrefix}_API_BASE_URL`]: line.url,
    },
    /** What `npm run setup` does on the real platforms: their webhooks to the middleware (on plain http here, this machine only). */
    connect(middlewareUrl: string) {
      telegram.useWebhook(`${middlewareUrl}/channels/telegram/${telegramChannel.channelType}`, TELEGRAM.secret);
      line.useEndpoint(`${middlewareUrl}/channels/line/${lineChannel.channelType}`);
    },
    async close() {
      await Promise.all([telegram.close(), line.close()]);
    },
  };
}

/** A channels file holding `base`'s channels and the messengers', in a temp folder removed by `remove`. */
export function writeCombinedChannelsFile(base: ChannelDefinition[], messengers: ChannelDefinition[]) {
  const dir = mkdtempSync(join(tmpdir(), 'cc-demo-channels-'));
  const file = join(dir, 'channels.json');
  writeFileSync(file, JSON.stringify({ channels: [...base, ...messengers] }));
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
