import type RequestClient from 'twilio/lib/base/RequestClient.js';
import { createKeepAliveHttp, networkCode, readText, type KeepAliveHttp } from '../shared/keep-alive-http.js';

/** What the `twilio` library hands its HTTP client: the request it has built (URL, auth, headers, form). */
export type TwilioRequest = RequestClient.RequestOptions<Record<string, unknown> | undefined, Record<string, unknown> | undefined>;

/** What the library reads back: it parses the JSON body and raises its own RestException on a 4xx/5xx. */
export interface TwilioResponse {
  statusCode: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

const FORM = 'application/x-www-form-urlencoded';
/** Far more than Twilio's largest page of resources; a bound, not a limit it meets. */
const MAX_ANSWER_BYTES = 16 * 1024 * 1024;
const JSON_TYPE = 'application/json';

/**
 * The `twilio` library's HTTP client on node's own keep-alive agents instead of axios: no
 * per-request configuration merging, which is where axios spent its CPU. The library still
 * builds every request (URL, authentication, headers, form) and parses every answer; this only
 * carries them. Failures keep the shape the Failure vocabulary reads: a network `code`
 * (timeouts as ETIMEDOUT, a dropped connection as ECONNRESET) and a message without the URL
 * (it holds SIDs).
 */
export class KeepAliveTwilioTransport {
  private readonly http: KeepAliveHttp;

  constructor(timeoutMs: number) {
    this.http = createKeepAliveHttp(timeoutMs);
  }

  async request(options: TwilioRequest): Promise<TwilioResponse> {
    const headers: Record<string, string> = { ...(options.headers as Record<string, string> | undefined) };
    if (options.username && options.password) {
      headers.Authorization = `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`;
    } else if (options.authStrategy) {
      headers.Authorization = await options.authStrategy.getAuthString();
    }
    const body = bodyOf(options.data, headers['Content-Type']);
    if (body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(body));
    try {
      const response = await this.http.send({
        url: options.params ? withQuery(options.uri, options.params) : options.uri,
        method: options.method.toUpperCase(),
        headers,
        body,
        timeoutMs: options.timeout,
      });
      return { statusCode: response.statusCode, body: await readText(response.body, MAX_ANSWER_BYTES), headers: response.headers };
    } catch (error) {
      throw networkError(options.method, error);
    }
  }
}

/** Query string and form as the library's own client encodes them: arrays as repeated keys. */
function encode(values: Record<string, unknown>): string {
  const encoded = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) encoded.append(key, String(item));
  }
  return encoded.toString();
}

function withQuery(uri: string, params: Record<string, unknown>): string {
  const query = encode(params);
  if (query === '') return uri;
  return `${uri}${uri.includes('?') ? '&' : '?'}${query}`;
}

function bodyOf(data: Record<string, unknown> | undefined, contentType: string | undefined): string | undefined {
  if (data === undefined || data === null) return undefined;
  if (contentType === FORM) return encode(data);
  if (contentType === JSON_TYPE) return typeof data === 'string' ? data : JSON.stringify(data);
  return undefined;
}

function networkError(method: string, error: unknown): Error {
  const code = networkCode(error);
  return Object.assign(new Error(`Twilio ${method.toUpperCase()} request failed: ${code ?? 'no error code'}`), { code });
}
