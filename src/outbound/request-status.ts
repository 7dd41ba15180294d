/** What the middleware's GET /agent/outbound/:requestId answers. */
interface RequestStatus {
  status?: 'pending' | 'started' | 'failed';
  message?: string;
  reason?: string;
}

export interface RequestWatchOptions {
  /** GET /agent/outbound/:requestId with the channel and customer of the request. */
  url: string;
  token: () => string | undefined;
  intervalMs: number;
  /** After this many answers of `pending`, the watch ends: the task list shows the rest. */
  maxPolls: number;
  onFailed: (message: string) => void;
}

/**
 * Asks the middleware, every `intervalMs`, what became of an accepted request until it started
 * or failed for good, so an opening that fails after the 202 reaches the agent in the panel.
 * A poll that cannot reach the middleware is just tried again. Returns the cancel.
 */
export function watchRequest({ url, token, intervalMs, maxPolls, onFailed }: RequestWatchOptions): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let cancelled = false;
  const poll = (left: number) => {
    timer = setTimeout(() => {
      fetch(url, { headers: { authorization: `Bearer ${token() ?? ''}` } })
        .then((response): RequestStatus | Promise<RequestStatus> => (response.ok ? (response.json() as Promise<RequestStatus>) : {}))
        .catch((): RequestStatus => ({}))
        .then((answer) => {
          if (cancelled || answer.status === 'started') return;
          if (answer.status === 'failed') return onFailed(answer.message ?? answer.reason ?? '');
          if (left > 1) poll(left - 1);
        });
    }, intervalMs);
  };
  poll(maxPolls);
  return () => {
    cancelled = true;
    clearTimeout(timer);
  };
}
