import { channelEnvPrefix, type ChannelDefinition } from '@custom-channels/contract';
import { resolveChannels } from '../config/channels.js';
import { messengerWebhookPath } from '../messengers/messenger-routes.js';
import { messengerPlatformOf } from '../messengers/registry.js';
import { RegistrationRefused } from '../messengers/webhook-registration.js';
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

/** Points each messenger channel's webhook at the middleware's public URL, idempotently. */
export async function setUpMessengerWebhooks({ channels, effectiveEnv, dryRun }: MessengerWebhooksInput): Promise<MessengerWebhooksOutcome> {
  const messengers = channels.flatMap((definition) => {
    const platform = messengerPlatformOf(definition.adapter);
    return platform ? [{ definition, platform }] : [];
  });
  if (messengers.length === 0) return { lines: [], steps: [], firstMessages: [] };
  const lines = ['', 'Messenger webhooks:'];
  const steps: string[] = [];
  const firstMessages: string[] = [];
  const publicBaseUrl = effectiveEnv.PUBLIC_BASE_URL?.replace(/\/+$/, '');
  const reachable = publicBaseUrl?.startsWith('https://') ?? false;
  if (!reachable) {
    const names = messengers.map(({ definition }) => `"${definition.channelType}"`).join(', ');
    lines.push(`  not set    the platforms send webhooks to an https URL only: set PUBLIC_BASE_URL, then run this command again (channels ${names})`);
    steps.push(`Once PUBLIC_BASE_URL is the middleware's public https URL, run this command again: it registers the webhooks of ${names}.`);
  }
  // Every channel is checked even without the public URL, so one run lists everything that is missing.
  for (const { definition, platform } of messengers) {
    const {
      channels: [channel],
      problems,
    } = resolveChannels([definition], effectiveEnv);
    if (problems.length > 0 || !channel) {
      lines.push(`  not set    ${platform.name} webhook of channel "${definition.channelType}": its credentials are missing`);
      steps.push(
        `Channel "${definition.channelType}": ${problems.join('; ')} (prefix ${channelEnvPrefix(definition.channelType)}_), then run this command again.`,
      );
      continue;
    }
    if (!reachable) continue;
    const webhookUrl = `${publicBaseUrl}${messengerWebhookPath(platform.adapter, definition.channelType)}`;
    let registration;
    try {
      registration = await (await platform.setup.loadRegistration())(channel, webhookUrl, dryRun);
    } catch (error) {
      if (error instanceof RegistrationRefused) throw new SetupError(error.message);
      throw error;
    }
    const detail = registration.detail ? ` (${registration.detail})` : '';
    lines.push(`  ${registration.action.padEnd(10)} ${platform.name} webhook of channel "${definition.channelType}" → ${webhookUrl}${detail}`);
    if (platform.setup.consoleStep) steps.push(platform.setup.consoleStep(definition.channelType));
    firstMessages.push(platform.setup.firstMessage(definition.channelType));
  }
  return { lines, steps, firstMessages };
}
