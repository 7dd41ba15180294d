import axios from 'axios';

export const TELEGRAM_API_BASE_URL = 'https://api.telegram.org';

/** What the Bot API answers: `{ ok: true, result }` or `{ ok: false, error_code, description, parameters? }`. */
export type BotApiAnswer<T> =
  | { ok: true; result: T }
  | { ok: false; status: number; errorCode: number; description: string; retryAfterSeconds?: number }
  | { ok: false; status: 0; errorCode: 0; description: string };

export interface BotApiOptions {
  token: string;
  baseUrl?: string;
  timeoutMs?: number;
}

export type BotApiCall = <T>(method: string, params: Record<string, unknown>) => Promise<BotApiAnswer<T>>;

/**
 * The Bot API over axios, the HTTP client the middleware already has: the kit calls a few
 * JSON methods (sends, getFile, the webhook's), which a framework would not make shorter.
 * The token is part of every URL, so no URL or axios error leaves this function.
 */
export function createBotApi({ token, baseUrl = TELEGRAM_API_BASE_URL, timeoutMs = 10_000 }: BotApiOptions): BotApiCall {
  return async <T>(method: string, params: Record<string, unknown>): Promise<BotApiAnswer<T>> => {
    let response;
    try {
      response = await axios.post(`${baseUrl}/bot${token}/${method}`, params, {
        timeout: timeoutMs,
        maxRedirects: 0,
        validateStatus: () => true,
        headers: { 'content-type': 'application/json' },
      });
    } catch (error) {
      const { code, name } = error as { code?: string; name?: string };
      return { ok: false, status: 0, errorCode: 0, description: `Telegram unreachable: ${code ?? name ?? 'error'}` };
    }
    return readAnswer<T>(response.status, response.data);
  };
}

function readAnswer<T>(status: number, data: unknown): BotApiAnswer<T> {
  const body = (typeof data === 'object' && data !== null ? data : {}) as {
    ok?: unknown;
    result?: unknown;
    error_code?: unknown;
    description?: unknown;
    parameters?: { retry_after?: unknown };
  };
  if (status >= 200 && status < 300 && body.ok === true) return { ok: true, result: body.result as T };
  const retryAfter = body.parameters?.retry_after;
  return {
    ok: false,
    status,
    errorCode: typeof body.error_code === 'number' ? body.error_code : status,
    description: typeof body.description === 'string' ? body.description.slice(0, 200) : `HTTP ${status}`,
    ...(typeof retryAfter === 'number' ? { retryAfterSeconds: retryAfter } : {}),
  };
}
