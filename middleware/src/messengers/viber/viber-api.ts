import axios from 'axios';

export const VIBER_API_BASE_URL = 'https://chatapi.viber.com/pa';
export const VIBER_AUTH_HEADER = 'x-viber-auth-token';

/**
 * What the REST bot API answers: HTTP 200 with `status` 0 and the result's fields, or a
 * non-zero `status` and its `status_message`; `status: 'unreachable'` when no answer came.
 */
export type ViberAnswer =
  | { ok: true; body: Record<string, unknown> }
  | { ok: false; httpStatus: number; status: number; statusMessage: string }
  | { ok: false; httpStatus: 0; status: 'unreachable'; statusMessage: string };

export type ViberCall = (method: string, params: Record<string, unknown>) => Promise<ViberAnswer>;

/**
 * The REST bot API over axios, which the middleware already has: a handful of JSON POSTs
 * (`send_message`, `set_webhook`, `get_account_info`). The auth token goes in its header
 * only, and no axios error (which would carry the request) leaves this function.
 */
export function createViberApi({
  token,
  baseUrl = VIBER_API_BASE_URL,
  timeoutMs = 10_000,
}: {
  token: string;
  baseUrl?: string;
  timeoutMs?: number;
}): ViberCall {
  return async (method, params) => {
    let response;
    try {
      response = await axios.post(`${baseUrl}/${method}`, params, {
        timeout: timeoutMs,
        maxRedirects: 0,
        validateStatus: () => true,
        headers: { 'content-type': 'application/json', [VIBER_AUTH_HEADER]: token },
        // Viber's message tokens are 64-bit integers: read as numbers they would lose digits.
        transformResponse: (data: unknown) => (typeof data === 'string' ? parseViberJson(data) : data),
      });
    } catch (error) {
      const { code, name } = error as { code?: string; name?: string };
      return { ok: false, httpStatus: 0, status: 'unreachable', statusMessage: `Viber unreachable: ${code ?? name ?? 'error'}` };
    }
    const body = (typeof response.data === 'object' && response.data !== null ? response.data : {}) as Record<string, unknown>;
    if (response.status >= 200 && response.status < 300 && body.status === 0) return { ok: true, body };
    return {
      ok: false,
      httpStatus: response.status,
      status: typeof body.status === 'number' ? body.status : -1,
      statusMessage: typeof body.status_message === 'string' ? body.status_message.slice(0, 200) : `HTTP ${response.status}`,
    };
  };
}

/** Viber's `message_token`, an integer often too large for a double. */
const MESSAGE_TOKEN_FIELD = /("message_token"\s*:\s*)(-?\d+)/g;

/**
 * JSON.parse with `message_token` kept as a string of its digits. The pattern matches keys
 * only: inside a string value every quote is escaped.
 */
export function parseViberJson(text: string): unknown {
  return JSON.parse(text.replace(MESSAGE_TOKEN_FIELD, (_match, key: string, digits: string) => `${key}"${digits}"`));
}
