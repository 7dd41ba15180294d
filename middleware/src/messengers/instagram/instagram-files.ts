import type { ChannelRuntime } from '../../config/channels.js';
import { FailureError, permanent } from '../../outbox/failure.js';
import type { PlatformFileSource } from '../../media/platform-files.js';
import type { PlatformFile } from '../messenger-files.js';

/** The hosts Meta serves Instagram messages' files from. */
const META_MEDIA_HOST = /(^|\.)(fbsbx\.com|cdninstagram\.com|fbcdn\.net)$/;

/** Instagram names no type: an image is taken as JPEG, a video as MP4, audio as M4A, and the download's Content-Type has the last word. */
const KINDS: Record<string, { label: string; contentType: string }> = {
  image: { label: 'photo', contentType: 'image/jpeg' },
  video: { label: 'video', contentType: 'video/mp4' },
  audio: { label: 'voice message', contentType: 'audio/mp4' },
  file: { label: 'file', contentType: 'application/octet-stream' },
};

/** The file of an image, video, audio or file attachment: its CDN URL is the reference the download starts from. */
export function fileOfInstagramAttachment(attachment: { type: string; payload?: { url?: string } }): PlatformFile | undefined {
  const kind = KINDS[attachment.type];
  const url = attachment.payload?.url;
  if (!kind || typeof url !== 'string' || !url) return undefined;
  const pdf = attachment.type === 'file' && /\.pdf$/i.test(pathOf(url));
  return { platformFileId: url, contentType: pdf ? 'application/pdf' : kind.contentType, label: kind.label };
}

/**
 * The attachment's URL as the download's source, only when it is on Meta's media hosts over
 * https (or on the stand-in named by API_BASE_URL): the webhook is signed, and the address
 * check holds even so. The URL carries no credential.
 */
export async function locateInstagramFile(channel: ChannelRuntime, url: string): Promise<PlatformFileSource> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new FailureError(permanent('the Instagram attachment has no valid URL'));
  }
  const allowed = channel.apiBaseUrl
    ? parsed.origin === new URL(channel.apiBaseUrl).origin
    : parsed.protocol === 'https:' && META_MEDIA_HOST.test(parsed.hostname);
  if (!allowed) throw new FailureError(permanent("the Instagram attachment is not on Meta's media hosts"));
  return { url: parsed.href };
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '';
  }
}
