import type { ChannelRuntime } from '../../config/channels.js';
import { FailureError, failureOfStatus, permanent, transient } from '../../outbox/failure.js';
import type { PlatformFileSource } from '../../media/platform-files.js';
import { createBotApi, TELEGRAM_API_BASE_URL } from './bot-api.js';

/**
 * getFile, then the download URL `<api>/file/bot<token>/<file_path>`. That URL holds the bot
 * token: it goes to the download only, and no reason built here names it.
 */
export async function locateTelegramFile(channel: ChannelRuntime, fileId: string): Promise<PlatformFileSource> {
  const token = channel.accessToken ?? '';
  const baseUrl = channel.apiBaseUrl ?? TELEGRAM_API_BASE_URL;
  const answer = await createBotApi({ token, baseUrl })<{ file_path?: unknown }>('getFile', { file_id: fileId });
  if (!answer.ok) {
    const reason = `Telegram getFile answered ${answer.errorCode || 'nothing'}: ${answer.description}`;
    const retryAfterMs = 'retryAfterSeconds' in answer && answer.retryAfterSeconds ? answer.retryAfterSeconds * 1000 : undefined;
    throw new FailureError(answer.status === 0 ? transient(reason) : failureOfStatus(answer.errorCode === 429 ? 429 : answer.status, reason, retryAfterMs));
  }
  const path = answer.result.file_path;
  // Telegram gives no path for a file over the 20 MB a bot may download.
  if (typeof path !== 'string' || !path || path.includes('..')) throw new FailureError(permanent('Telegram gave no download path for the file'));
  return { url: `${baseUrl}/file/bot${token}/${path.split('/').map(encodeURIComponent).join('/')}` };
}
