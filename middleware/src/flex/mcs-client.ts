import { createReadStream } from 'node:fs';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { redactMessage } from '@custom-channels/logging';
import type { TwilioConfig } from '../config/config.js';
import { FailureError, failureOfStatus, parseRetryAfter, permanent, throttled, transient } from '../outbox/failure.js';

/** Twilio's Media Content Service; the stand-in serves it under `{apiBaseUrl}/mcs`. */
export const MCS_ORIGIN = 'https://mcs.us1.twilio.com';

/** What the middleware reads of an MCS Media resource. */
export interface McsMedia {
  sid: string;
  size: number;
  contentType: string;
  filename: string | null;
  /** A URL that needs no credentials, for a limited time. */
  temporaryUrl?: string;
}

export interface McsClient {
  /** Uploads a file from disk (streamed, with its length); the new Media resource. */
  upload(serviceSid: string, file: { path: string; size: number; contentType: string; filename?: string }): Promise<McsMedia>;
  /** Uploads bytes as they arrive (a browser's upload), `size` of them. */
  uploadStream(serviceSid: string, file: { body: NodeJS.ReadableStream; size: number; contentType: string; filename?: string }): Promise<McsMedia>;
  fetch(serviceSid: string, mediaSid: string): Promise<McsMedia>;
  /** The file's bytes as a stream, with credentials (the caller reads or destroys it). */
  openContent(serviceSid: string, mediaSid: string): Promise<IncomingMessage>;
  /** Deletes the file; false when Twilio no longer had it (404). */
  remove(serviceSid: string, mediaSid: string): Promise<boolean>;
}

/**
 * The Media Content Service over plain HTTPS: the `twilio` library does not cover it. Basic
 * auth with the API key when there is one, else the auth token, like the REST client.
 */
export function createMcsClient(twilio: Pick<TwilioConfig, 'accountSid' | 'authToken' | 'apiKeySid' | 'apiKeySecret' | 'apiBaseUrl' | 'timeoutMs'>): McsClient {
  const origin = twilio.apiBaseUrl ? `${twilio.apiBaseUrl.replace(/\/+$/, '')}/mcs` : MCS_ORIGIN;
  const user = twilio.apiKeySid && twilio.apiKeySecret ? `${twilio.apiKeySid}:${twilio.apiKeySecret}` : `${twilio.accountSid}:${twilio.authToken}`;
  const authorization = `Basic ${Buffer.from(user).toString('base64')}`;

  const call = (method: 'GET' | 'POST', path: string, headers: Record<string, string>, body?: NodeJS.ReadableStream): Promise<McsMedia> => {
    const url = new URL(`${origin}${path}`);
    const client = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = client.request(url, { method, headers: { authorization, accept: 'application/json', ...headers }, timeout: twilio.timeoutMs });
      req.once('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
      req.once('error', (error) =>
        reject(new FailureError(transient(`the Media Content Service could not be reached (${(error as { code?: string }).code ?? 'network error'})`))),
      );
      req.once('response', (response) => readMedia(response).then(resolve, reject));
      if (body) {
        body.once('error', (error) => req.destroy(error));
        body.pipe(req);
      } else req.end();
    });
  };

  const uploadStream: McsClient['uploadStream'] = (serviceSid, file) => {
    const query = file.filename ? `?Filename=${encodeURIComponent(file.filename)}` : '';
    const headers = { 'content-type': file.contentType, 'content-length': String(file.size) };
    return call('POST', `/v1/Services/${serviceSid}/Media${query}`, headers, file.body);
  };
  return {
    upload: (serviceSid, file) => uploadStream(serviceSid, { ...file, body: createReadStream(file.path) }),
    uploadStream,
    fetch: (serviceSid, mediaSid) => call('GET', `/v1/Services/${serviceSid}/Media/${mediaSid}`, {}),
    openContent: (serviceSid, mediaSid) =>
      openContent(new URL(`${origin}/v1/Services/${serviceSid}/Media/${mediaSid}/Content`), authorization, twilio.timeoutMs),
    remove: (serviceSid, mediaSid) => remove(new URL(`${origin}/v1/Services/${serviceSid}/Media/${mediaSid}`), authorization, twilio.timeoutMs),
  };
}

function remove(url: URL, authorization: string, timeoutMs: number): Promise<boolean> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(url, { method: 'DELETE', headers: { authorization, accept: 'application/json' }, timeout: timeoutMs });
    req.once('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    req.once('error', (error) =>
      reject(new FailureError(transient(`the Media Content Service could not be reached (${(error as { code?: string }).code ?? 'network error'})`))),
    );
    req.once('response', (response) => {
      const status = response.statusCode ?? 0;
      response.resume();
      if (status >= 200 && status < 300) return resolve(true);
      if (status === 404) return resolve(false);
      reject(mcsFailure(status, {}, response.headers['retry-after']));
    });
    req.end();
  });
}

/** GETs the content, following Twilio's redirect to its temporary URL (without sending the credentials there). */
function openContent(url: URL, authorization: string | undefined, timeoutMs: number, redirects = 0): Promise<IncomingMessage> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.get(url, { headers: authorization ? { authorization } : {}, timeout: timeoutMs });
    req.once('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    req.once('error', (error) =>
      reject(new FailureError(transient(`the Media Content Service could not be reached (${(error as { code?: string }).code ?? 'network error'})`))),
    );
    req.once('response', (response) => {
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (status >= 300 && status < 400 && location && redirects < 3) {
        response.resume();
        return resolve(openContent(new URL(location, url), undefined, timeoutMs, redirects + 1));
      }
      if (status >= 200 && status < 300) return resolve(response);
      response.resume();
      reject(mcsFailure(status, {}, response.headers['retry-after']));
    });
  });
}

async function readMedia(response: IncomingMessage): Promise<McsMedia> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  const status = response.statusCode ?? 0;
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
  } catch {
    // An answer that is not JSON is judged by its status alone.
  }
  if (status < 200 || status >= 300) throw mcsFailure(status, body, response.headers['retry-after']);
  const links = (body.links ?? {}) as { content_direct_temporary?: unknown };
  if (typeof body.sid !== 'string' || !/^ME[0-9a-fA-F]{32}$/.test(body.sid))
    throw new FailureError(permanent('the Media Content Service answered without a Media SID'));
  return {
    sid: body.sid,
    size: typeof body.size === 'number' ? body.size : 0,
    contentType: typeof body.content_type === 'string' ? body.content_type : 'application/octet-stream',
    filename: typeof body.filename === 'string' ? body.filename : null,
    ...(typeof links.content_direct_temporary === 'string' ? { temporaryUrl: links.content_direct_temporary } : {}),
  };
}

function mcsFailure(status: number, body: Record<string, unknown>, retryAfter: string | string[] | undefined): FailureError {
  const code = typeof body.code === 'number' ? ` (error ${body.code})` : '';
  const message = typeof body.message === 'string' ? `: ${redactMessage(body.message)}` : '';
  const reason = `the Media Content Service answered ${status}${code}${message}`;
  const retryAfterMs = parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter);
  return new FailureError(body.code === 20429 ? throttled(reason, retryAfterMs) : failureOfStatus(status, reason, retryAfterMs));
}
