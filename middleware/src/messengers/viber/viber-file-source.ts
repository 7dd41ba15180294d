import type { ChannelRuntime } from '../../config/channels.js';
import { FailureError, permanent } from '../../outbox/failure.js';
import type { PlatformFileSource } from '../../media/platform-files.js';

/**
 * A user's picture, video or file is at the URL the signed callback gave, on Viber's media
 * host, fetched without credentials. The guarded download keeps redirects on that origin.
 */
export async function locateViberFile(_channel: ChannelRuntime, mediaUrl: string): Promise<PlatformFileSource> {
  if (!/^https?:\/\/[^/]/.test(mediaUrl)) throw new FailureError(permanent('the Viber media reference is not a URL'));
  return { url: mediaUrl };
}
