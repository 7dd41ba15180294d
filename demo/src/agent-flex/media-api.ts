/**
 * The page's client of the demo's attachment routes: what each channel takes, a message's
 * file, and the agent's upload. A refused request is an Error with the demo's or the stand-in's reason.
 */
import type { MediaPolicy } from '@custom-channels/contract';

/** Where the page shows or downloads a message's file. */
export const mediaUrl = (mediaSid: string) => `/api/media/${encodeURIComponent(mediaSid)}`;

type ErrorBody = { error?: { code?: string; message?: string }; message?: string };

function failure(status: number, json: ErrorBody): Error {
  return new Error(json.error?.message ?? json.message ?? `HTTP ${status}`);
}

function parsed(text: string): ErrorBody {
  try {
    return JSON.parse(text) as ErrorBody;
  } catch {
    return {};
  }
}

let policies: Promise<Record<string, MediaPolicy>> | undefined;

export const mediaApi = {
  /** Each channel's attachment rules, by channel type (a text-only channel is absent); asked once. */
  policies(): Promise<Record<string, MediaPolicy>> {
    policies ??= fetch('/api/channels/media')
      .then(async (response) => {
        const json = parsed(await response.text());
        if (!response.ok) throw failure(response.status, json);
        return (json as { channels: Record<string, MediaPolicy> }).channels;
      })
      .catch((problem: unknown) => {
        policies = undefined;
        throw problem;
      });
    return policies;
  },
  /**
   * Sends the file as the agent's message in the task's conversation, telling `onProgress`
   * the share of its bytes sent so far (0 to 1). XMLHttpRequest, because fetch does not
   * report an upload's progress.
   */
  upload: (taskSid: string, file: File, onProgress: (sent: number) => void) =>
    new Promise<void>((resolve, reject) => {
      const request = new XMLHttpRequest();
      request.open('POST', `/api/tasks/${taskSid}/media?filename=${encodeURIComponent(file.name)}`);
      request.setRequestHeader('content-type', file.type || 'application/octet-stream');
      request.upload.onprogress = (event) => event.lengthComputable && onProgress(event.loaded / event.total);
      request.onload = () => (request.status < 300 ? resolve() : reject(failure(request.status, parsed(request.responseText))));
      request.onerror = () => reject(new Error('the demo could not be reached'));
      request.send(file);
    }),
};

export type MediaApi = typeof mediaApi;
