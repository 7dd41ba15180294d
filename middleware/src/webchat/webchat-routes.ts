import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import type { ChannelRuntime } from '../config/channels.js';
import { textTooLong } from '../inbound/inbound-message.js';
import type { InboundService } from '../inbound/inbound-service.js';
import type { Logger } from '../observability/logger.js';
import type { LogHasher } from '../observability/log-hash.js';
import { safeErrorMessage } from '@custom-channels/logging';
import { isAllowedOrigin } from './allowed-origins.js';
import { parseClientFrame } from './client-frames.js';
import { CLOSE_CODES, MAX_CATCH_UP, MAX_FRAME_BYTES, PROTOCOL_VERSION, type ClientFrame, type ServerFrame } from './protocol.js';
import { VisitorConnection, type VisitorSocket } from './visitor-connections.js';
import type { VisitorPresence } from './visitor-presence.js';
import { VisitorByteQuota } from './visitor-quota.js';
import { widgetScript } from './widget-script.js';
import { DEFAULT_WEBCHAT_SETTINGS, type WebchatSettings } from './webchat-settings.js';
import type { Webchat } from './webchat.js';
import type { MediaLinks } from '../media/media-links.js';
import type { UploadTickets } from './upload-tickets.js';
import { locationReply, selectionReply } from '../rich/customer-replies.js';

export const WEBCHAT_SOCKET_PATH = '/webchat/ws';
/** History sent to a browser that starts from nothing (a new page); a reconnect gets everything it missed. */
export const HISTORY_ON_NEW_PAGE = 200;
/** Events read from the transcript at once while a socket catches up. */
export const CATCH_UP_PAGE_EVENTS = 50;
/** Socket errors (malformed frames, broken upgrades) are logged at most once per this window. */
const SOCKET_ERROR_LOG_WINDOW_MS = 60_000;

export interface WebchatRoutesDeps {
  webchat: Webchat;
  /** The channels the middleware serves; those with the `webchat` adapter are open here. */
  channels: ReadonlyMap<string, ChannelRuntime>;
  inbound: InboundService;
  /** Takes the visitor's read receipt (coalesced on its way to Twilio). */
  acceptRead: (channelType: string, customerId: string, upTo: string) => void;
  logger: Logger;
  /** Stands in for customer and visitor ids in log lines. */
  hashForLog: LogHasher;
  /** Checks the files a message names, and links them in the transcript; without it, messages with media are refused. */
  uploads?: {
    tickets: UploadTickets;
    links: MediaLinks;
    /** Marks the files sent; false when one is no longer known (deleted after waiting too long for its message). */
    markUsed: (channelType: string, visitorId: string, files: Array<{ mediaSid: string }>) => Promise<boolean>;
  };
  /** Socket limits and allowed origins; DEFAULT_WEBCHAT_SETTINGS when omitted. */
  settings?: WebchatSettings;
  /** The middleware's public URL: pages of its origin may always open the chat. */
  publicBaseUrl?: string;
  /** Told when a visitor's socket opens and closes, to keep their presence on their task. */
  presence?: Pick<VisitorPresence, 'connected' | 'disconnected' | 'active'>;
}

/** The widget's files, from the web chat's public folder; widget.js is bundled from its source (widget-script.ts). */
const WIDGET_FILES: Record<string, { file: string; type: string }> = {
  '/webchat/widget.js': { file: 'widget.js', type: 'text/javascript; charset=utf-8' },
  '/webchat/widget.css': { file: 'widget.css', type: 'text/css; charset=utf-8' },
  '/webchat/favicon.svg': { file: 'favicon.svg', type: 'image/svg+xml' },
};

/** The page at /webchat/ and its stylesheet, from the web chat's page folder (the embedding example, or the demo's shop). */
const PAGE_FILES: Record<string, { file: string; type: string }> = {
  '/webchat/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/webchat/index.html': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/webchat/page.css': { file: 'page.css', type: 'text/css; charset=utf-8' },
};

/** The widget's files and its WebSocket endpoint. */
export async function webchatRoutes(app: FastifyInstance, deps: WebchatRoutesDeps): Promise<void> {
  const channels = new Map([...deps.channels].filter(([, channel]) => channel.adapter === 'webchat'));
  const settings = deps.settings ?? DEFAULT_WEBCHAT_SETTINGS;
  const socketErrors = throttledWarning(deps.logger, SOCKET_ERROR_LOG_WINDOW_MS);
  await app.register(websocket, {
    options: { maxPayload: MAX_FRAME_BYTES },
    // A malformed frame or upgrade is the client's problem: a warning now and then, no stack.
    errorHandler: (error, socket) => {
      socketErrors(error);
      socket.terminate();
    },
  });

  const files = [
    ...Object.entries(WIDGET_FILES).map(([path, served]) => ({ path, dir: deps.webchat.publicDir, ...served })),
    ...Object.entries(PAGE_FILES).map(([path, served]) => ({ path, dir: deps.webchat.pageDir, ...served })),
  ];
  for (const { path, dir, file, type } of files) {
    const content = file === 'widget.js' ? await widgetScript() : await readFile(join(dir, file));
    app.get(path, async (_request, reply) => {
      reply
        .type(type)
        .header('cache-control', 'no-cache')
        .header('x-content-type-options', 'nosniff')
        // Embedded by other sites: allowed to load cross-origin.
        .header('cross-origin-resource-policy', 'cross-origin');
      if (file === 'index.html') {
        reply.header(
          'content-security-policy',
          "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data: blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        );
      }
      return reply.send(content);
    });
  }

  const refusedOrigins = throttledWarning(deps.logger, SOCKET_ERROR_LOG_WINDOW_MS);
  const shared = { settings, quota: new VisitorByteQuota(settings.visitorBytesPerHour), open: 0 };
  app.get(WEBCHAT_SOCKET_PATH, { websocket: true }, (socket, request) => {
    const origin = request.headers.origin;
    if (!isAllowedOrigin(origin, { host: request.headers.host, publicBaseUrl: deps.publicBaseUrl }, settings.allowedOrigins)) {
      refusedOrigins(`a web chat socket from an origin not in WEBCHAT_ALLOWED_ORIGINS was refused: ${String(origin).slice(0, 100)}`);
      socket.close(CLOSE_CODES.originNotAllowed, 'origin not allowed');
      return;
    }
    if (shared.open >= settings.maxSockets) {
      socket.close(CLOSE_CODES.tryAgainLater, 'too many connections; try again later');
      return;
    }
    shared.open += 1;
    socket.once('close', () => (shared.open -= 1));
    handleSocket(socket, channels, deps, shared);
  });
}

/** Frames per socket: a burst of this many, then this many per second. */
const FRAME_BURST = 30;
const FRAMES_PER_SECOND = 10;
const HEARTBEAT_MS = 30_000;
/** How long an ack waits for its event to come back through the fan-out. */
const ACK_AFTER_EVENT_TIMEOUT_MS = 2000;

/** Logs a warning at most once per window, without a stack; says how many were not logged. */
function throttledWarning(logger: Logger, windowMs: number): (problem: unknown) => void {
  let loggedAt = -Infinity;
  let skipped = 0;
  return (problem) => {
    const now = Date.now();
    if (now - loggedAt < windowMs) {
      skipped += 1;
      return;
    }
    loggedAt = now;
    const message = typeof problem === 'string' ? problem : `web chat socket error: ${safeErrorMessage(problem)}`;
    logger.warn({ notLoggedBefore: skipped }, message);
    skipped = 0;
  };
}

interface SharedSocketState {
  settings: WebchatSettings;
  quota: VisitorByteQuota;
}

function handleSocket(socket: WebSocket, channels: ReadonlyMap<string, ChannelRuntime>, deps: WebchatRoutesDeps, shared: SharedSocketState): void {
  const { webchat, inbound, logger } = deps;
  const { settings, quota } = shared;
  // Each frame's write callback, so a catch-up can wait until what it sent left the process.
  let lastWrite = Promise.resolve();
  const send = (frame: ServerFrame) => {
    if (socket.readyState !== socket.OPEN) return;
    lastWrite = new Promise((resolve) => socket.send(JSON.stringify(frame), () => resolve()));
  };
  const sink: VisitorSocket = {
    get bufferedAmount() {
      return socket.bufferedAmount;
    },
    get open() {
      return socket.readyState === socket.OPEN;
    },
    written: () => lastWrite,
    send,
    dropStalled: () => {
      logger.debug('web chat socket dropped: it did not read what it was sent');
      // The close frame would wait behind what the peer does not read: the connection goes now.
      socket.close(CLOSE_CODES.notReading, 'not reading');
      socket.terminate();
    },
  };
  let visitor: { channel: ChannelRuntime; visitorId: string; connection: VisitorConnection; detach: () => void } | undefined;
  let tokens = FRAME_BURST;
  let refilledAt = Date.now();
  let alive = true;

  const heartbeat = setInterval(() => {
    if (!alive) return socket.terminate();
    alive = false;
    socket.ping();
  }, HEARTBEAT_MS);
  heartbeat.unref();
  socket.on('pong', () => {
    alive = true;
  });

  // Frames of one socket are handled one after the other, so acks follow the order sent.
  let chain = Promise.resolve();
  socket.on('message', (data, isBinary) => {
    const now = Date.now();
    tokens = Math.min(FRAME_BURST, tokens + ((now - refilledAt) / 1000) * FRAMES_PER_SECOND);
    refilledAt = now;
    if (tokens < 1) {
      send({ type: 'error', code: 'rate_limited', message: 'too many frames; wait a moment and send again' });
      return;
    }
    tokens -= 1;
    if (isBinary) {
      send({ type: 'error', code: 'invalid_frame', field: '/', message: 'frames must be JSON text' });
      return;
    }
    const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
    chain = chain
      .then(() => handleFrame(text))
      .catch((error: unknown) => {
        logger.error({ err: error }, 'web chat frame failed');
        send({ type: 'error', code: 'internal_error', message: 'the frame could not be handled' });
      });
  });
  socket.on('close', () => {
    clearInterval(heartbeat);
    visitor?.detach();
  });

  async function handleFrame(text: string): Promise<void> {
    const parsed = parseClientFrame(text);
    if (!parsed.ok) {
      const { ok: _ok, ...error } = parsed;
      send({ type: 'error', ...error });
      return;
    }
    const frame = parsed.frame;
    if (frame.type === 'ping') return send({ type: 'pong' });
    if (frame.type === 'hello') return hello(frame);
    if (!visitor)
      return send({
        type: 'error',
        code: 'hello_first',
        field: '/type',
        message: 'send a hello frame first',
        ...(frame.type === 'message' ? { id: frame.id } : {}),
      });
    if (frame.type === 'read') return deps.acceptRead(visitor.channel.channelType, visitor.visitorId, frame.upTo);
    return message(frame, visitor);
  }

  async function hello(frame: Extract<ClientFrame, { type: 'hello' }>): Promise<void> {
    if (visitor)
      return send({
        type: 'error',
        code: 'already_started',
        field: '/type',
        message: 'this socket has already said hello',
      });
    const channel = channels.get(frame.channel);
    if (!channel) {
      send({
        type: 'error',
        code: 'unknown_channel',
        field: '/channel',
        message: `no web chat channel "${frame.channel}" is served here`,
      });
      socket.close(CLOSE_CODES.unknownChannel, 'unknown channel');
      return;
    }
    const known = frame.token ? webchat.tokens.verify(channel.channelType, frame.token) : undefined;
    if (known !== undefined && webchat.connections.countOf(channel.channelType, known) >= settings.maxSocketsPerVisitor) {
      send({
        type: 'error',
        code: 'too_many_connections',
        message: `this visitor has ${settings.maxSocketsPerVisitor} connections open already; close one or try again later`,
      });
      socket.close(CLOSE_CODES.tryAgainLater, 'too many connections for this visitor');
      return;
    }
    const visitorId = known ?? webchat.tokens.issue(channel.channelType).visitorId;
    const sameLog = known !== undefined && frame.epoch === webchat.epoch;
    const after = sameLog ? (frame.after ?? 0) : 0;
    send({
      type: 'welcome',
      v: PROTOCOL_VERSION,
      visitorId,
      token: webchat.tokens.renew(channel.channelType, visitorId),
      epoch: webchat.epoch,
      maxMessageLength: channel.maxMessageLength,
      ...(channel.media && deps.uploads ? { media: { accept: channel.media.accept, maxBytes: channel.media.maxBytes } } : {}),
      // The browser drops what it shows: it belonged to another visitor, or its numbers to another log.
      reset: (frame.token !== undefined && known === undefined) || (Boolean(frame.after) && frame.epoch !== webchat.epoch),
    });

    const connection = new VisitorConnection({
      socket: sink,
      read: (afterSeq, page) => webchat.log.readPage(channel.channelType, visitorId, afterSeq, page),
      limits: { pageEvents: CATCH_UP_PAGE_EVENTS, sendBufferBytes: settings.sendBufferBytes, stalledMs: settings.stalledSocketMs },
      onReadFailed: (error) => {
        logger.error({ err: error, channel: channel.channelType }, 'web chat transcript not readable; the socket is closed to reconnect');
        socket.close(1011, 'transcript not readable; reconnect');
      },
    });
    const detachConnection = webchat.connections.attach(channel.channelType, visitorId, connection);
    deps.presence?.connected(channel.channelType, visitorId);
    let detached = false;
    const detach = () => {
      if (detached) return;
      detached = true;
      detachConnection();
      deps.presence?.disconnected(channel.channelType, visitorId);
    };
    visitor = { channel, visitorId, connection, detach };
    if (socket.readyState !== socket.OPEN) detach();
    // Attached before this wait, so that the visitor's other sockets count it.
    const history = after === 0 ? HISTORY_ON_NEW_PAGE : MAX_CATCH_UP;
    const start = Math.max(after, (await webchat.log.lastSeq(channel.channelType, visitorId)) - history);
    await connection.start(start);
    logger.debug(
      { channel: channel.channelType, visitor: deps.hashForLog(visitorId), after, from: start, upTo: connection.lastSentSeq },
      'web chat visitor connected',
    );
  }

  async function message(frame: Extract<ClientFrame, { type: 'message' }>, current: NonNullable<typeof visitor>): Promise<void> {
    const { channel, visitorId } = current;
    const tooLong = frame.text === undefined ? undefined : textTooLong(frame.text, channel.maxMessageLength);
    if (tooLong) return send({ type: 'error', code: 'invalid_frame', field: '/text', message: tooLong, id: frame.id });
    const files = frame.media ?? [];
    const uploads = deps.uploads;
    if (files.length > 0 && (!uploads || !channel.media || !files.every(({ ticket, ...file }) => uploads.tickets.verify(visitorId, file, ticket)))) {
      return send({
        type: 'error',
        code: 'invalid_frame',
        field: '/media',
        message: 'the message names a file this visitor did not upload here',
        id: frame.id,
      });
    }
    const name = frame.name.trim();
    const reply = frame.selection ? selectionReply(frame.selection) : frame.location ? locationReply(frame.location) : undefined;
    const text = reply?.text ?? frame.text;
    const quotaKey = `${channel.channelType}\u0000${visitorId}`;
    const bytes = Buffer.byteLength(text ?? '') + Buffer.byteLength(name);
    const allowance = quota.take(quotaKey, bytes);
    // A resend of a message already stored stores nothing: it is acknowledged whatever the quota.
    if (!allowance.ok && !(await webchat.log.has(channel.channelType, visitorId, `visitor:${frame.id}`))) {
      return send({
        type: 'error',
        code: 'quota_exceeded',
        id: frame.id,
        retryAfterSeconds: allowance.retryAfterSeconds,
        message: `this chat takes at most ${settings.visitorBytesPerHour} bytes of text per hour from one visitor; send it again in ${Math.ceil(allowance.retryAfterSeconds / 60)} min`,
      });
    }
    let status;
    try {
      // Persisted (and deduplicated by the visitor's message id) before the ack.
      if (uploads && !(await uploads.markUsed(channel.channelType, visitorId, files)))
        return send({
          type: 'error',
          code: 'invalid_frame',
          field: '/media',
          message: 'the file was deleted after waiting too long; attach it again',
          id: frame.id,
        });
      status = await inbound.accept(channel, {
        id: `${visitorId}.${frame.id}`,
        from: { id: visitorId, name },
        ...(text === undefined ? {} : { text }),
        ...(reply ? { attributes: reply.attributes } : {}),
        ...(files.length > 0 ? { media: files.map((file) => ({ mediaSid: file.mediaSid, contentType: file.contentType, filename: file.filename })) } : {}),
      });
    } catch (error) {
      if (allowance.ok) quota.giveBack(quotaKey, bytes);
      logger.error({ err: error, channel: channel.channelType }, 'web chat message not accepted');
      return send({
        type: 'error',
        code: 'not_accepted',
        id: frame.id,
        message: 'the message was not accepted; send it again',
      });
    }
    if (allowance.ok && status === 'duplicate') quota.giveBack(quotaKey, bytes);
    const entry = await webchat.log.append(channel.channelType, visitorId, `visitor:${frame.id}`, {
      kind: 'visitor-message',
      id: frame.id,
      text: text ?? '',
      name,
      at: Date.now(),
      ...(uploads && files.length > 0
        ? {
            media: files.map((file) => ({
              url: uploads.links.urlFor(file.serviceSid, file.mediaSid),
              contentType: file.contentType,
              filename: file.filename ?? null,
              size: file.size,
            })),
          }
        : {}),
    });
    webchat.publish(channel.channelType, visitorId, entry);
    // The event reaches this socket before its ack (through Redis when the log fans out).
    await current.connection.sent(entry.seq, ACK_AFTER_EVENT_TIMEOUT_MS);
    send({ type: 'ack', id: frame.id, seq: entry.seq, status });
    deps.presence?.active(channel.channelType, visitorId);
  }
}
