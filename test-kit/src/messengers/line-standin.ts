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
  /** A text message's quick reply buttons. */
  quickReply?: { items: Array<{ type: 'action'; action: LineAction }> };
  /** A template message (its altText is `text`). */
  template?: { type: string; title?: string; text: string; thumbnailImageUrl?: string; actions: LineAction[] };
  location?: { title: string; address: string; latitude: number; longitude: number };
}

export interface LineAction {
  type: string;
  label?: string;
  data?: string;
  displayText?: string;
  uri?: string;
}

type Detail = { message: string; property: string };
const length = (value: unknown, min: number, max: number) => typeof value === 'string' && Array.from(value).length >= min && Array.from(value).length <= max;

/** What LINE refuses in an action (Messaging API reference: postback and uri actions). */
function actionProblems(action: LineAction | undefined, at: string, labelRequired: boolean): Detail[] {
  if (!action || typeof action !== 'object') return [{ message: 'Must not be null', property: at }];
  const problems: Detail[] = [];
  if ((labelRequired || action.label !== undefined) && !length(action.label, 1, 20))
    problems.push({ message: 'Length must be between 1 and 20', property: `${at}.label` });
  if (action.type === 'postback') {
    if (!length(action.data, 1, 300)) problems.push({ message: 'Length must be between 1 and 300', property: `${at}.data` });
    if (action.displayText !== undefined && !length(action.displayText, 1, 300))
      problems.push({ message: 'Length must be between 1 and 300', property: `${at}.displayText` });
  } else if (action.type === 'uri') {
    if (typeof action.uri !== 'string' || !/^(https?|tel|line):/.test(action.uri) || action.uri.length > 1000)
      problems.push({ message: 'invalid uri', property: `${at}.uri` });
  } else {
    problems.push({ message: 'invalid action type', property: `${at}.type` });
  }
  return problems;
}

/** What LINE refuses in a text, template, location or image message. */
function messageProblems(message: Record<string, unknown>, at: string): Detail[] {
  if (message.type === 'image') {
    return ['originalContentUrl', 'previewImageUrl'].flatMap((field) =>
      typeof message[field] === 'string' && /^https:\/\/./.test(message[field]) && message[field].length <= 2000
        ? []
        : [{ message: 'Must be a valid HTTPS URL', property: `${at}.${field}` }],
    );
  }
  if (message.type === 'location') {
    const fine =
      length(message.title, 1, 100) && length(message.address, 1, 100) && typeof message.latitude === 'number' && typeof message.longitude === 'number';
    return fine ? [] : [{ message: 'title and address of 1 to 100 characters, and numeric coordinates, are required', property: at }];
  }
  if (message.type === 'template') {
    const template = message.template as Record<string, unknown> | undefined;
    const problems: Detail[] = length(message.altText, 1, 400) ? [] : [{ message: 'Length must be between 1 and 400', property: `${at}.altText` }];
    if (!template || template.type !== 'buttons') return [...problems, { message: 'only buttons templates are modelled', property: `${at}.template.type` }];
    const image = template.thumbnailImageUrl;
    if (image !== undefined && !(typeof image === 'string' && /^https:\/\/./.test(image)))
      problems.push({ message: 'Must be a valid HTTPS URL', property: `${at}.template.thumbnailImageUrl` });
    if (template.title !== undefined && !length(template.title, 1, 40))
      problems.push({ message: 'Length must be between 1 and 40', property: `${at}.template.title` });
    const textMax = image !== undefined || template.title !== undefined ? 60 : 160;
    if (!length(template.text, 1, textMax)) problems.push({ message: `Length must be between 1 and ${textMax}`, property: `${at}.template.text` });
    const actions = Array.isArray(template.actions) ? (template.actions as LineAction[]) : [];
    if (actions.length < 1 || actions.length > 4) problems.push({ message: 'Size must be between 1 and 4', property: `${at}.template.actions` });
    actions.forEach((action, index) => problems.push(...actionProblems(action, `${at}.template.actions[${index}]`, true)));
    return problems;
  }
  const problems: Detail[] =
    message.type === 'text' && typeof message.text === 'string' && message.text.length >= 1 && message.text.length <= TEXT_LIMIT
      ? []
      : [{ message: `Length must be between 1 and ${TEXT_LIMIT}`, property: `${at}.text` }];
  const quickReply = message.quickReply as { items?: unknown } | undefined;
  if (quickReply !== undefined) {
    const items = Array.isArray(quickReply.items) ? (quickReply.items as Array<{ type?: unknown; action?: LineAction }>) : [];
    if (items.length < 1 || items.length > 13) problems.push({ message: 'Size must be between 1 and 13', property: `${at}.quickReply.items` });
    items.forEach((item, index) => problems.push(...actionProblems(item.action, `${at}.quickReply.items[${index}].action`, true)));
  }
  return problems;
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
  /** Users who unfollowed (blocked) the account since they wrote. */
  const unfollowedBy = new Set<string>();
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
    if (unfollowedBy.has(to)) return fail(400, 'Failed to send messages');
    const messages = Array.isArray(body.messages) ? (body.messages as Array<Record<string, unknown>>) : [];
    if (messages.length < 1 || messages.length > 5)
      return fail(400, 'The request body has 1 error(s)', [{ message: 'Size must be between 1 and 5', property: 'messages' }]);
    const details = messages.flatMap((message, index) => messageProblems(message, `messages[${index}]`));
    if (details.length > 0) return fail(400, `The request body has ${details.length} error(s)`, details);
    const requestId = randomUUID();
    if (retryKey) acceptedRetryKeys.set(retryKey, requestId);
    for (const message of messages) pushed.push({ to, retryKey, ...pushedOf(message) });
    return ok(
      { sentMessages: messages.map(() => ({ id: String(Date.now()), quoteToken: randomBytes(8).toString('hex') })) },
      { 'x-line-request-id': requestId },
    );
  };

  /** What the user's app shows of one pushed message. */
  const pushedOf = (message: Record<string, unknown>): Omit<PushedLineMessage, 'to' | 'retryKey'> => {
    if (message.type === 'image')
      return { text: '', image: { originalContentUrl: String(message.originalContentUrl), previewImageUrl: String(message.previewImageUrl) } };
    if (message.type === 'template') return { text: String(message.altText), template: message.template as PushedLineMessage['template'] };
    if (message.type === 'location') return { text: '', location: message as unknown as PushedLineMessage['location'] };
    return { text: String(message.text), ...(message.quickReply ? { quickReply: message.quickReply as PushedLineMessage['quickReply'] } : {}) };
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

  /** The user taps a postback button (a quick reply or a template's): LINE sends a postback event with the button's data. */
  const postbackCallback = (user: LineTestUser, action: LineAction) => {
    if (action.type !== 'postback' || !action.data) throw new Error('not a postback action');
    const { events, ...rest } = textCallback(user, '');
    const { message: _message, ...event } = events[0]!;
    return { ...rest, events: [{ ...event, type: 'postback', postback: { data: action.data } }] };
  };

  /** The user shares a location. */
  const locationCallback = (user: LineTestUser, place: { title?: string; address?: string; latitude: number; longitude: number }) => {
    const callback = textCallback(user, '');
    const event = callback.events[0]!;
    return { ...callback, events: [{ ...event, message: { type: 'location', id: event.message.id, ...place } }] };
  };

  /** The user sends a sticker. */
  const stickerCallback = (user: LineTestUser, sticker: { packageId: string; stickerId: string; keywords?: string[] }) => {
    const callback = textCallback(user, '');
    const event = callback.events[0]!;
    return { ...callback, events: [{ ...event, message: { type: 'sticker', id: event.message.id, stickerResourceType: 'STATIC', ...sticker } }] };
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
    postbackCallback,
    locationCallback,
    stickerCallback,
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
    /** `user` unfollows (blocks) the account: a push to them is refused with 400. */
    unfollowedBy(user: LineTestUser) {
      unfollowedBy.add(user.userId);
    },
    /** The next `count` pushes are refused with 429 (with Retry-After when given; LINE usually sends none). */
    throttle(count: number, retryAfterSeconds?: number) {
      throttled = { remaining: count, retryAfterSeconds };
    },
    close: server.close,
  };
}

export type LineStandIn = Awaited<ReturnType<typeof startLineStandIn>>;
