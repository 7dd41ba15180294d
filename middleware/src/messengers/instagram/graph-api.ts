import axios from 'axios';
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
 * The Graph API over axios (which the middleware already has; node's fetch would load undici,
 * about 30 MB more), with the channel's Page access token in the Authorization header, never
 * in the URL. No axios error leaves this function: answers carry Meta's code and message only.
 */
export function graphApiFor(channel: Pick<ChannelRuntime, 'accessToken' | 'apiBaseUrl'>, timeoutMs = 10_000): GraphCall {
  const base = `${channel.apiBaseUrl ?? GRAPH_API_BASE_URL}/${GRAPH_API_VERSION}`;
  return async <T>(method: 'GET' | 'POST', path: string, body?: Record<string, unknown>): Promise<GraphAnswer<T>> => {
    let response;
    try {
      response = await axios.request({
        method,
        url: `${base}${path}`,
        data: body,
        timeout: timeoutMs,
        maxRedirects: 0,
        validateStatus: () => true,
        headers: { authorization: `Bearer ${channel.accessToken ?? ''}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      });
    } catch (error) {
      const { code, name } = error as { code?: string; name?: string };
      return { ok: false, status: 0, code: 0, message: `Instagram unreachable: ${code ?? name ?? 'error'}` };
    }
    const parsed: unknown = response.data;
    if (response.status >= 200 && response.status < 300 && typeof parsed === 'object' && parsed !== null) return { ok: true, result: parsed as T };
    return errorOf(response.status, response.headers['retry-after'], parsed);
  };
}

function errorOf(status: number, retryAfterHeader: unknown, parsed: unknown): GraphAnswer<never> {
  const error = (typeof parsed === 'object' && parsed !== null ? (parsed as { error?: unknown }).error : undefined) as
    { message?: unknown; code?: unknown; error_subcode?: unknown } | undefined;
  const retryAfter = Number(retryAfterHeader);
  return {
    ok: false,
    status,
    code: typeof error?.code === 'number' ? error.code : status,
    ...(typeof error?.error_subcode === 'number' ? { subcode: error.error_subcode } : {}),
    message: typeof error?.message === 'string' ? error.message.slice(0, 200) : `HTTP ${status}`,
    ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
  };
}
