import type { ChannelRuntime } from '../../config/channels.js';

export const GRAPH_API_BASE_URL = 'https://graph.facebook.com';
/** The Graph API version the channel is written against; Meta keeps each version for about two years. */
export const GRAPH_API_VERSION = 'v21.0';

/** What the Graph API answers: the result, or its error object (`{ error: { message, type, code, error_subcode } }`). */
export type GraphAnswer<T> =
  | { ok: true; result: T }
  | { ok: false; status: number; code: number; subcode?: number; message: string; retryAfterMs?: number }
  | { ok: false; status: 0; code: 0; message: string };

export type GraphCall = <T>(method: 'GET' | 'POST', path: string, body?: Record<string, unknown>) => Promise<GraphAnswer<T>>;

/**
 * The Graph API with the channel's Page access token in the Authorization header, never in the
 * URL, so that no address the middleware handles carries it. No answer or error leaves with
 * more than Meta's code and message.
 */
export function graphApiFor(channel: Pick<ChannelRuntime, 'accessToken' | 'apiBaseUrl'>, timeoutMs = 10_000): GraphCall {
  const base = `${channel.apiBaseUrl ?? GRAPH_API_BASE_URL}/${GRAPH_API_VERSION}`;
  return async <T>(method: 'GET' | 'POST', path: string, body?: Record<string, unknown>): Promise<GraphAnswer<T>> => {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
        headers: { authorization: `Bearer ${channel.accessToken ?? ''}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    } catch (error) {
      const { name } = error as { name?: string };
      return { ok: false, status: 0, code: 0, message: `Instagram unreachable: ${name ?? 'error'}` };
    }
    let parsed: unknown;
    try {
      parsed = await response.json();
    } catch {
      parsed = undefined;
    }
    if (response.ok && parsed !== undefined) return { ok: true, result: parsed as T };
    return errorOf(response, parsed);
  };
}

function errorOf(response: Response, parsed: unknown): GraphAnswer<never> {
  const error = (typeof parsed === 'object' && parsed !== null ? (parsed as { error?: unknown }).error : undefined) as
    { message?: unknown; code?: unknown; error_subcode?: unknown } | undefined;
  const retryAfter = Number(response.headers.get('retry-after'));
  return {
    ok: false,
    status: response.status,
    code: typeof error?.code === 'number' ? error.code : response.status,
    ...(typeof error?.error_subcode === 'number' ? { subcode: error.error_subcode } : {}),
    message: typeof error?.message === 'string' ? error.message.slice(0, 200) : `HTTP ${response.status}`,
    ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
  };
}
