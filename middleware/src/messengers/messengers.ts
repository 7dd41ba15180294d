import type { ChannelRuntime } from '../config/channels.js';
import { FailureError, permanent } from '../outbox/failure.js';
import type { PlatformFileLocator } from '../media/platform-files.js';
import type { Messengers } from './messenger-webhook.js';
import { messengerPlatformOf, MESSENGER_PLATFORMS } from './registry.js';

/** The adapters and webhooks the configured channels need. Only the platforms the channels use are loaded. */
export async function openMessengersFor(channels: ChannelRuntime[]): Promise<Messengers | undefined> {
  const used = MESSENGER_PLATFORMS.filter((platform) => channels.some((channel) => channel.adapter === platform.adapter));
  if (used.length === 0) return undefined;
  const opened = await Promise.all(used.map((platform) => platform.open()));
  return { adapters: opened.map((parts) => parts.adapter), webhooks: opened.map((parts) => parts.webhook), locateFile };
}

const locateFile: PlatformFileLocator = async (channel, platformFileId) => {
  const platform = messengerPlatformOf(channel.adapter);
  if (!platform) throw new FailureError(permanent(`channel ${channel.channelType} is not on a messenger platform`));
  return platform.locateFile(channel, platformFileId);
};
