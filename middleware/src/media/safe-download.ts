import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { acceptsType, essenceOf, type MediaPolicy } from '@custom-channels/contract';
import type { ChannelRuntime } from '../config/channels.js';
import type { LookupFunction } from 'node:net';
import { bareHost, ForbiddenAddressError, publicOnlyLookup, type Resolver } from './address-guard.js';
import { PUBLIC_HTTPS_ONLY } from './fetch-rules.js';
import { urlProblem } from './inbound-attachments.js';
import { FailureError, failureOfStatus, parseRetryAfter, permanent, transient } from '../outbox/failure.js';

export interface DownloadTimeouts {
  /** Until the connection (TLS included) is up. */
  connectMs: number;
  /** For the whole download, redirects included. */
  totalMs: number;
}

export const DEFAULT_DOWNLOAD_TIMEOUTS: DownloadTimeouts = { connectMs: 5_000, totalMs: 60_000 };

export interface DownloadOptions {
  timeouts?: DownloadTimeouts;
  /** Name resolution; the system's (dns.lookup) by default. */
  resolve?: Resolver;
}
const MAX_REDIRECTS = 3;

export interface DownloadRequest {
  url: string;
  /** The type the channel declared; used only when the host serves none. */
  declaredType?: string;
  channel: Pick<ChannelRuntime, 'mediaFetch'> & { media: MediaPolicy };
  /** Where to write the bytes. */
  path: string;
  /** A messenger platform's file: every URL, redirects included, must be at this origin (its API host). */
  onlyOrigin?: string;
  /** Request headers (a platform's credentials), for a request with `onlyOrigin`. */
  headers?: Record<string, string>;
}

export interface DownloadedFile {
  path: string;
  size: number;
  contentType: string;
}

/**
 * Downloads a channel's attachment to a file, defending against server-side request
 * forgery: every URL, redirects included, is checked (scheme, credentials, literal
 * addresses) and every connection resolves only to public addresses unless the channel's
 * allow-list names the host; the size limit is enforced while streaming, and the type
 * against the channel's `accept`. Throws FailureError.
 */
export async function downloadAttachment(request: DownloadRequest, options: DownloadOptions = {}): Promise<DownloadedFile> {
  const timeouts = options.timeouts ?? DEFAULT_DOWNLOAD_TIMEOUTS;
  const lookup = publicOnlyLookup(options.resolve);
  const signal = AbortSignal.timeout(timeouts.totalMs);
  let url = request.url;
  for (let redirects = 0; ; redirects++) {
    const where = redirects === 0 ? 'the attachment URL' : `redirect ${redirects} of the attachment URL`;
    const problem = urlProblem(url, request.channel);
    if (problem) throw new FailureError(permanent(`${where} ${problem}`));
    if (request.onlyOrigin && new URL(url).origin !== request.onlyOrigin) throw new FailureError(permanent(`${where} is not at the platform's file host`));
    const response = await get(new URL(url), request.channel, { timeouts, lookup, signal, headers: request.headers });
    const location = response.headers.location;
    if (response.statusCode && response.statusCode >= 300 && response.statusCode < 400 && location) {
      response.resume();
      if (redirects === MAX_REDIRECTS) throw new FailureError(permanent(`the attachment URL redirects more than ${MAX_REDIRECTS} times`));
      url = new URL(location, url).toString();
      continue;
    }
    return save(response, request, signal);
  }
}

function get(
  url: URL,
  channel: DownloadRequest['channel'],
  how: { timeouts: DownloadTimeouts; lookup: LookupFunction; signal: AbortSignal; headers?: Record<string, string> },
): Promise<IncomingMessage> {
  const { timeouts, lookup, signal } = how;
  const allowed = (channel.mediaFetch ?? PUBLIC_HTTPS_ONLY).allowHosts.has(bareHost(url.hostname));
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.get(url, { agent: false, signal, headers: { accept: '*/*', ...how.headers }, ...(allowed ? {} : { lookup }) });
    const connectTimer = setTimeout(() => req.destroy(Object.assign(new Error('connect timeout'), { code: 'ETIMEDOUT' })), timeouts.connectMs);
    req.once('socket', (socket) => {
      socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', () => clearTimeout(connectTimer));
    });
    req.once('response', (response) => {
      clearTimeout(connectTimer);
      resolve(response);
    });
    req.once('error', (error) => {
      clearTimeout(connectTimer);
      reject(networkFailure(error));
    });
  });
}

function networkFailure(error: unknown): FailureError {
  if (error instanceof ForbiddenAddressError) return new FailureError(permanent(`the attachment URL's ${error.message}`));
  const { code, name } = (error ?? {}) as { code?: unknown; name?: unknown };
  if (name === 'AbortError' || name === 'TimeoutError') return new FailureError(transient('the attachment download timed out'));
  return new FailureError(transient(`the attachment host could not be reached (${typeof code === 'string' ? code : 'network error'})`));
}

async function save(response: IncomingMessage, request: DownloadRequest, signal: AbortSignal): Promise<DownloadedFile> {
  const status = response.statusCode ?? 0;
  const limit = request.channel.media.maxBytes;
  if (status < 200 || status >= 300) {
    response.resume();
    const reason = `the attachment host answered ${status}`;
    throw new FailureError(failureOfStatus(status, reason, parseRetryAfter(header(response, 'retry-after'))));
  }
  const served = header(response, 'content-type');
  const contentType = essenceOf(served && essenceOf(served) !== 'application/octet-stream' ? served : (request.declaredType ?? served ?? ''));
  if (!acceptsType(request.channel.media, contentType)) {
    response.resume();
    throw new FailureError(
      permanent(`the attachment is ${contentType || 'of no stated type'}, not a type this channel takes (${request.channel.media.accept.join(', ')})`),
    );
  }
  const length = Number(header(response, 'content-length'));
  if (Number.isFinite(length) && length > limit) {
    response.destroy();
    throw new FailureError(permanent(`the attachment is ${length} bytes, over this channel's ${limit}`));
  }
  let size = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      done(size > limit ? new FailureError(permanent(`the attachment is over this channel's ${limit} bytes (stopped reading there)`)) : null, chunk);
    },
  });
  try {
    await pipeline(response, counter, createWriteStream(request.path, { mode: 0o600 }), { signal });
  } catch (error) {
    await rm(request.path, { force: true });
    throw error instanceof FailureError ? error : networkFailure(error);
  }
  return { path: request.path, size, contentType };
}

function header(response: IncomingMessage, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
