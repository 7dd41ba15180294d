import { channelEnvPrefix, isMessengerAdapter, type ChannelDefinition, type MessengerAdapter } from '@custom-channels/contract';
import { resolveChannels } from '../config/channels.js';
import { messengerWebhookPath } from '../messengers/messenger-routes.js';
import { RegistrationRefused, type RegisterWebhook } from '../messengers/webhook-registration.js';
import { SetupError } from './errors.js';

export interface MessengerWebhooksInput {
  channels: ChannelDefinition[];
  /** The variables the middleware will see: the .env file over the current environment. */
  effectiveEnv: Record<string, string | undefined>;
  dryRun: boolean;
}

export interface MessengerWebhooksOutcome {
  /** The report of what was registered, empty when no channel is a messenger. */
  lines: string[];
  /** What remains for the user before the middleware starts: variables, the public URL, the platforms' consoles. */
  steps: string[];
  /** Once the middleware runs: how to send the first message. */
  firstMessages: string[];
}

const PLATFORM: Record<MessengerAdapter, { name: string; load: () => Promise<RegisterWebhook> }> = {
  telegram: { name: 'Telegram', load: async () => (await import('../messengers/telegram/telegram-setup.js')).registerTelegramWebhook },
  line: { name: 'LINE', load: async () => (await import('../messengers/line/line-setup.js')).registerLineWebhook },
};

const CONSOLE_STEPS: Partial<Record<MessengerAdapter, (channelType: string) => string>> = {
  line: (channelType) =>
    `Channel "${channelType}": in the LINE Developers Console, Messaging API tab, turn "Use webhook" on, and turn "Auto-reply messages" off (customers' messages then reach agents only).`,
};

const FIRST_MESSAGE: Record<MessengerAdapter, (channelType: string) => string> = {
  telegram: (channelType) => `Channel "${channelType}": open your bot in Telegram, press Start and write to it: the message arrives in Flex as a task.`,
  line: (channelType) => `Channel "${channelType}": add the LINE Official Account as a friend (its QR code is in the Messaging API tab) and write to it.`,
};

/** Points each Telegram and LINE channel's webhook at the middleware's public URL, idempotently. */
export async function setUpMessengerWebhooks({ channels, effectiveEnv, dryRun }: MessengerWebhooksInput): Promise<MessengerWebhooksOutcome> {
  const messengers = channels.filter((channel) => isMessengerAdapter(channel.adapter));
  if (messengers.length === 0) return { lines: [], steps: [], firstMessages: [] };
  const lines = ['', 'Messenger webhooks:'];
  const steps: string[] = [];
  const firstMessages: string[] = [];
  const publicBaseUrl = effectiveEnv.PUBLIC_BASE_URL?.replace(/\/+$/, '');
  const reachable = publicBaseUrl?.startsWith('https://') ?? false;
  if (!reachable) {
    const names = messengers.map((channel) => `"${channel.channelType}"`).join(', ');
    lines.push(`  not set    the platforms send webhooks to an https URL only: set PUBLIC_BASE_URL, then run this command again (channels ${names})`);
    steps.push(`Once PUBLIC_BASE_URL is the middleware's public https URL, run this command again: it registers the webhooks of ${names}.`);
  }
  // Every channel is checked even without the public URL, so one run lists everything that is missing.
  for (const definition of messengers) {
    const adapter = definition.adapter as MessengerAdapter;
    const {
      channels: [channel],
      problems,
    } = resolveChannels([definition], effectiveEnv);
    const platform = PLATFORM[adapter];
    if (problems.length > 0 || !channel) {
      lines.push(`  not set    ${platform.name} webhook of channel "${definition.channelType}": its credentials are missing`);
      steps.push(
        `Channel "${definition.channelType}": ${problems.join('; ')} (prefix ${channelEnvPrefix(definition.channelType)}_), then run this command again.`,
      );
      continue;
    }
    if (!reachable) continue;
    const webhookUrl = `${publicBaseUrl}${messengerWebhookPath(adapter, definition.channelType)}`;
    let registration;
    try {
      registration = await (await platform.load())(channel, webhookUrl, dryRun);
    } catch (error) {
      if (error instanceof RegistrationRefused) throw new SetupError(error.message);
      throw error;
    }
    const detail = registration.detail ? ` (${registration.detail})` : '';
    lines.push(`  ${registration.action.padEnd(10)} ${platform.name} webhook of channel "${definition.channelType}" → ${webhookUrl}${detail}`);
    const consoleStep = CONSOLE_STEPS[adapter];
    if (consoleStep) steps.push(consoleStep(definition.channelType));
    firstMessages.push(FIRST_MESSAGE[adapter](definition.channelType));
  }
  return { lines, steps, firstMessages };
}
