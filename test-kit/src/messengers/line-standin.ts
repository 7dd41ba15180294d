import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { type ListenOptions, postWebhook, startJsonServer, type JsonAnswer, type JsonRequest } from './json-server.js';
import { phonePage } from './phone-page.js';

export interface LineTestUser {
  userId: string;
  displayName: string;
}

export interface PushedLineMessage {
  to: string;
  /** A text message's text; empty for an image message. */
  text: string;
  retryKey?: string;
  /** An image message's URLs. */
  image?: { originalContentUrl: string; previewImageUrl: string };
}

const TEXT_LIMIT = 5000;
const RETRY_KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A LINE user id: `U` and 32 hex digits. */
export const lineUserId = () => `U${randomBytes(16).toString('hex')}`;

/**
 * The LINE Messaging API's double: push message (with X-Line-Retry-Key), the user profile,
 * the webhook endpoint (set, get, test) and the bot info, with LINE's error bodies
 * (`{ message, details? }`) and 429. It also plays the users' side: webhook calls shaped as
 * LINE sends them, signed with the channel secret.
 */
export async function startLineStandIn(options: { channelSecret: string; accessToken: string } & ListenOptions) {
  const pushed: PushedLineMessage[] = [];
  /** When each push arrived and how it was answered. */
  const pushAttempts: Array<{ at: number; status: number }> = [];
  const users = new Map<string, LineTestUser>();
  /** The content of users' image and file messages, by message id, as the content endpoint serves it. */
  const contents = new Map<string, { bytes: Buffer; contentType: string }>();
  const acceptedRetryKeys = new Map<string, string>();
  let endpoint: string | undefined;
  let profileLookups = 0;
  let throttled = { remaining: 0, retryAfterSeconds: undefined as number | undefined };
  const destination = lineUserId();

  const fail = (status: number, message: string, details?: Array<{ message: string; property: string }>, headers?: Record<string, string>): JsonAnswer => ({
    status,
    body: { message, ...(details ? { details } : {}) },
    headers,
  });
  const ok = (body: unknown, headers: Record<string, string> = {}): JsonAnswer => ({
    status: 200,
    body,
    headers: { 'x-line-request-id': randomUUID(), ...headers },
  });

  const push = (body: Record<string, unknown>, retryKey: string | undefined): JsonAnswer => {
    if (retryKey !== undefined && !RETRY_KEY.test(retryKey)) return fail(400, 'The value of the X-Line-Retry-Key header is invalid');
    if (retryKey && acceptedRetryKeys.has(retryKey)) {
      return fail(409, 'The retry key is already accepted', undefined, { 'x-line-accepted-request-id': acceptedRetryKeys.get(retryKey)! });
    }
    if (throttled.remaining > 0) {
      throttled.remaining -= 1;
      const headers = throttled.retryAfterSeconds === undefined ? undefined : { 'retry-after': String(throttled.retryAfterSeconds) };
      return fail(429, 'The API rate limit has been exceeded. Try again later.', undefined, headers);
    }
    const to = String(body.to ?? '');
    if (!users.has(to)) return fail(400, "The property, 'to', in the request body is invalid (line: -, column: -)");
    const messages = Array.isArray(body.messages) ? (body.messages as Array<{ type?: unknown; text?: unknown; [url: string]: unknown }>) : [];
    if (messages.length < 1 || messages.length > 5)
      return fail(400, 'The request body has 1 error(s)', [{ message: 'Size must be between 1 and 5', property: 'messages' }]);
    const details = messages.flatMap((message, index) => {
      if (message.type === 'image') {
        return ['originalContentUrl', 'previewImageUrl'].flatMap((field) =>
          typeof message[field] === 'string' && /^https:\/\/./.test(message[field]) && message[field].length <= 2000
            ? []
            : [{ message: 'Must be a valid HTTPS URL', property: `messages[${index}].${field}` }],
        );
      }
      return message.type === 'text' && typeof message.text === 'string' && message.text.length >= 1 && message.text.length <= TEXT_LIMIT
        ? []
        : [{ message: `Length must be between 1 and ${TEXT_LIMIT}`, property: `messages[${index}].text` }];
    });
    if (details.length > 0) return fail(400, `The request body has ${details.length} error(s)`, details);
    const requestId = randomUUID();
    if (retryKey) acceptedRetryKeys.set(retryKey, requestId);
    for (const message of messages) {
      const image =
        message.type === 'image' ? { originalContentUrl: String(message.originalContentUrl), previewImageUrl: String(message.previewImageUrl) } : undefined;
      pushed.push({ to, text: image ? '' : String(message.text), retryKey, ...(image ? { image } : {}) });
    }
    return ok(
      { sentMessages: messages.map(() => ({ id: String(Date.now()), quoteToken: randomBytes(8).toString('hex') })) },
      { 'x-line-request-id': requestId },
    );
  };

  const server = await startJsonServer((request) => {
    const { method, path, headers, body } = request;
    if (!path.startsWith('/v2/')) return phoneSide(request);
    if (headers.authorization !== `Bearer ${options.accessToken}`) {
      return fail(401, 'Authentication failed. Confirm that the access token in the authorization header is valid.');
    }
    const params = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const route = `${method} ${path}`;
    const content = /^GET \/v2\/bot\/message\/([^/]+)\/content$/.exec(route);
    if (content) {
      const found = contents.get(decodeURIComponent(content[1]!));
      return found ? { status: 200, body: undefined, bytes: found.bytes, headers: { 'content-type': found.contentType } } : fail(404, 'Not found');
    }
    if (route === 'POST /v2/bot/message/push') {
      const answer = push(params, headers['x-line-retry-key'] as string | undefined);
      pushAttempts.push({ at: Date.now(), status: answer.status });
      return answer;
    }
    const profile = /^GET \/v2\/bot\/profile\/([^/]+)$/.exec(route);
    if (profile) {
      profileLookups += 1;
      const user = users.get(decodeURIComponent(profile[1]!));
      return user ? ok({ userId: user.userId, displayName: user.displayName, language: 'en' }) : fail(404, 'Not found');
    }
    if (route === 'PUT /v2/bot/channel/webhook/endpoint') {
      if (typeof params.endpoint !== 'string' || !params.endpoint.startsWith('https://')) {
        return fail(400, 'The request body has 1 error(s)', [{ message: 'Must be a valid HTTPS URL', property: 'endpoint' }]);
      }
      endpoint = params.endpoint;
      return ok({});
    }
    if (route === 'GET /v2/bot/channel/webhook/endpoint') return endpoint ? ok({ endpoint, active: true }) : fail(404, 'Not found');
    if (route === 'POST /v2/bot/channel/webhook/test')
      return ok({ success: true, timestamp: new Date().toISOString(), statusCode: 200, reason: 'OK', detail: '200' });
    if (route === 'GET /v2/bot/info')
      return ok({ userId: destination, basicId: '@000test', displayName: 'Support', chatMode: 'chat', markAsReadMode: 'manual' });
    return fail(404, 'Not found');
  }, options);

  /** A callback with one text message event from `user`, as LINE's webhook documentation gives it. */
  const textCallback = (user: LineTestUser, text: string) => {
    users.set(user.userId, user);
    return {
      destination,
      events: [
        {
          type: 'message',
          message: { type: 'text', id: String(Date.now()) + randomBytes(2).readUInt16BE(0), quoteToken: randomBytes(16).toString('base64url'), text },
          webhookEventId: `01${randomBytes(12).toString('hex').toUpperCase()}`,
          deliveryContext: { isRedelivery: false },
          timestamp: Date.now(),
          source: { type: 'user', userId: user.userId },
          replyToken: randomBytes(16).toString('hex'),
          mode: 'active',
        },
      ],
    };
  };

  /** A callback with one image message event from `user`, its content kept by LINE (served by the content endpoint). */
  const imageCallback = (user: LineTestUser, bytes: Buffer) => {
    const callback = textCallback(user, '');
    const event = callback.events[0]!;
    const id = event.message.id;
    contents.set(id, { bytes, contentType: 'image/jpeg' });
    return { ...callback, events: [{ ...event, message: { type: 'image', id, quoteToken: event.message.quoteToken, contentProvider: { type: 'line' } } }] };
  };

  const sign = (raw: string) => createHmac('sha256', options.channelSecret).update(raw).digest('base64');

  /** POSTs a callback to `url` (the endpoint set, by default) as LINE does: signed, unless another signature (or none) is given. */
  function deliver(callback: unknown, init: { url?: string; signature?: string | null } = {}) {
    const url = init.url ?? endpoint;
    if (!url) throw new Error('no webhook endpoint is set');
    const raw = JSON.stringify(callback);
    const signature = init.signature === undefined ? sign(raw) : init.signature;
    return postWebhook(url, signature === null ? {} : { 'x-line-signature': signature }, raw);
  }

  /** The demo's side of the app: its page, and a user who writes and reads (not part of the Messaging API). */
  async function phoneSide({ method, path, body }: JsonRequest): Promise<JsonAnswer> {
    const params = (typeof body === 'object' && body !== null ? body : {}) as { name?: string; user?: { id?: string; name?: string }; text?: string };
    if (method === 'GET' && path === '/') return { status: 200, body: phonePage({ name: 'LINE', color: '#06C755' }), html: true };
    if (method === 'POST' && path === '/sandbox/users') return { status: 200, body: { id: lineUserId(), name: params.name || 'LINE user' } };
    if (method === 'POST' && path === '/sandbox/say' && typeof params.user?.id === 'string' && params.text) {
      const answer = await deliver(textCallback({ userId: params.user.id, displayName: params.user.name || 'LINE user' }, params.text));
      return { status: 200, body: answer };
    }
    const chat = /^\/sandbox\/chats\/(U[0-9a-f]{32})$/.exec(path);
    if (method === 'GET' && chat) return { status: 200, body: { messages: pushed.filter((message) => message.to === chat[1]).map((message) => message.text) } };
    return fail(404, 'Not found');
  }

  return {
    url: server.url,
    pushed,
    pushAttempts,
    get endpoint() {
      return endpoint;
    },
    get profileLookups() {
      return profileLookups;
    },
    textCallback,
    imageCallback,
    sign,
    deliver,
    /** The endpoint as set-webhook-endpoint would hold it, for a middleware on plain http on this machine (the demo). */
    useEndpoint(url: string) {
      endpoint = url;
    },
    /** The same callback again, flagged as LINE flags a redelivery. */
    redelivery<T extends { events: Array<{ deliveryContext: { isRedelivery: boolean } }> }>(callback: T): T {
      return { ...callback, events: callback.events.map((event) => ({ ...event, deliveryContext: { isRedelivery: true } })) };
    },
    /** The next `count` pushes are refused with 429 (with Retry-After when given; LINE usually sends none). */
    throttle(count: number, retryAfterSeconds?: number) {
      throttled = { remaining: count, retryAfterSeconds };
    },
    close: server.close,
  };
}

export type LineStandIn = Awaited<ReturnType<typeof startLineStandIn>>;
