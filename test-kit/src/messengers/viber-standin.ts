import { createHmac, randomInt } from 'node:crypto';
import { type ListenOptions, postWebhook, startJsonServer, type JsonAnswer, type JsonRequest } from './json-server.js';
import { phonePage } from './phone-page.js';

/** A Viber user as callbacks describe them: an id of Viber's (base64-like) and a name. */
export interface ViberTestUser {
  id: string;
  name: string;
}

export interface SentViberMessage {
  receiver: string;
  type: string;
  /** A text message's text; empty for a picture, video or file. */
  text: string;
  sender: { name: string; avatar?: string };
  message_token: string;
  /** A picture's, video's or file's `media`: the URL Viber fetched, and what it got there. */
  media?: string;
  file_name?: string;
  bytes?: Buffer;
  /** A keyboard sent with the message, or a rich media message's buttons. */
  keyboard?: { Buttons: ViberTestButton[] };
  rich_media?: { ButtonsGroupColumns: number; ButtonsGroupRows: number; Buttons: ViberTestButton[] };
  location?: { lat: number; lon: number };
  tracking_data?: string;
}

export interface ViberTestButton {
  ActionType: string;
  ActionBody: string;
  Text?: string;
  Columns?: number;
  Rows?: number;
  Image?: string;
}

/** Keyboards: 6 columns, buttons fill rows in order, at most 24 rows (Viber "Keyboards", keyboard design). */
const KEYBOARD_COLUMNS = 6;
const KEYBOARD_ROWS_MAX = 24;
/** A button's Text, markup included (Viber "Keyboards", buttons parameters). */
const BUTTON_TEXT_MAX = 250;
/** tracking_data (creators.viber.com message data model: 4,000; the older REST bot API page said 4,096). */
const TRACKING_DATA_MAX = 4000;
/** Rich media Buttons: at most 6 x ButtonsGroupColumns x ButtonsGroupRows (REST bot API, rich media message). */
const RICH_MEDIA_ITEMS_MAX = 6;
/** The whole send_message request (REST bot API "send_message": 30 KB). */
const REQUEST_BYTES_MAX = 30 * 1024;
const ACTION_TYPES = ['reply', 'open-url', 'location-picker', 'share-phone', 'none'];

/**
 * Why buttons are refused (`rowsMax` rows a button may span); undefined when they are fine.
 * Columns 1 to 6, Rows 1 to 2 on a keyboard and 1 to 7 in rich media (Viber "Keyboards", buttons parameters).
 */
function buttonsProblem(buttons: unknown, rowsMax: number): string | undefined {
  if (!Array.isArray(buttons) || buttons.length === 0) return 'Buttons must be a non-empty array';
  for (const button of buttons as Array<Record<string, unknown>>) {
    if (typeof button.ActionType !== 'string' || !ACTION_TYPES.includes(button.ActionType)) return `ActionType ${String(button.ActionType)} is not valid`;
    if (typeof button.ActionBody !== 'string' || button.ActionBody === '') return 'ActionBody is required';
    if (button.ActionType === 'open-url' && !/^https?:\/\/./.test(button.ActionBody)) return 'ActionBody of an open-url button must be a URL';
    if (button.Text !== undefined && (typeof button.Text !== 'string' || button.Text.length > BUTTON_TEXT_MAX)) return 'Text is too long';
    const columns = button.Columns ?? 6;
    const rows = button.Rows ?? 1;
    if (typeof columns !== 'number' || columns < 1 || columns > 6) return 'Columns must be 1 to 6';
    if (typeof rows !== 'number' || rows < 1 || rows > rowsMax) return `Rows must be 1 to ${rowsMax}`;
  }
  return undefined;
}

/**
 * The rows a keyboard takes: buttons fill each row of 6 columns in order, one that does not fit
 * starting the next row, and a row is as high as its highest button.
 */
function keyboardRows(buttons: Array<{ Columns?: number; Rows?: number }>): number {
  let rows = 0;
  let used = KEYBOARD_COLUMNS;
  let height = 0;
  for (const button of buttons) {
    const columns = button.Columns ?? KEYBOARD_COLUMNS;
    if (used + columns > KEYBOARD_COLUMNS) {
      rows += height;
      used = 0;
      height = 0;
    }
    used += columns;
    height = Math.max(height, button.Rows ?? 1);
  }
  return rows + height;
}

/**
 * Why a rich media message is refused: ButtonsGroupColumns 1 to 6, ButtonsGroupRows 1 to 7, its
 * items (groups of Columns x Rows cells) at most 6 (REST bot API, rich media message); API
 * version 2 or later, what the official SDKs send it with.
 */
function richMediaProblem(params: Record<string, unknown>): string | undefined {
  const media = params.rich_media as Record<string, unknown> | undefined;
  if (typeof params.min_api_version !== 'number' || params.min_api_version < 2) return 'rich_media needs min_api_version 2';
  if (media?.Type !== 'rich_media') return 'rich_media.Type must be rich_media';
  const columns = media.ButtonsGroupColumns;
  const rows = media.ButtonsGroupRows;
  if (typeof columns !== 'number' || columns < 1 || columns > 6) return 'ButtonsGroupColumns must be 1 to 6';
  if (typeof rows !== 'number' || rows < 1 || rows > 7) return 'ButtonsGroupRows must be 1 to 7';
  const problem = buttonsProblem(media.Buttons, 7);
  if (problem) return problem;
  const cells = (media.Buttons as Array<{ Columns?: number; Rows?: number }>).reduce((sum, b) => sum + (b.Columns ?? 6) * (b.Rows ?? 1), 0);
  if (Math.ceil(cells / (columns * rows)) > RICH_MEDIA_ITEMS_MAX) return `rich_media holds at most ${RICH_MEDIA_ITEMS_MAX} items`;
  return undefined;
}

/** text: at most 7,000 characters; sender.name at most 28 (REST bot API "send_message"). */
const TEXT_LIMIT = 7000;
const SENDER_NAME_LIMIT = 28;
const MB = 1024 * 1024;
/** What send_message takes by URL, as Viber documents it. */
const MEDIA_LIMITS: Record<string, { types?: string[]; maxBytes: number }> = {
  picture: { types: ['image/jpeg'], maxBytes: 1 * MB },
  video: { types: ['video/mp4'], maxBytes: 26 * MB },
  file: { maxBytes: 50 * MB },
};

/** Viber's status codes the stand-in answers with. */
const STATUS = {
  ok: 0,
  invalidUrl: 1,
  invalidAuthToken: 2,
  badData: 3,
  missingData: 4,
  receiverNotRegistered: 5,
  receiverNotSubscribed: 6,
  tooManyRequests: 12,
};

/** A Viber user id: 24 characters of base64 with its padding, as Viber's ids look. */
export function viberUserId(): string {
  return `${Buffer.from(Array.from({ length: 16 }, () => randomInt(256))).toString('base64')}`;
}

/**
 * The Viber REST bot API's double, for `POST /pa/<method>` with the X-Viber-Auth-Token header:
 * set_webhook (which checks the URL with a signed `webhook` callback, as Viber does),
 * get_account_info and send_message, answering `{ status, status_message, ... }` with HTTP 200
 * as Viber does, errors included. It also plays the users' side: callbacks shaped as Viber
 * sends them, signed with X-Viber-Content-Signature, with 64-bit message tokens as JSON numbers.
 */
export async function startViberStandIn(options: { authToken: string } & ListenOptions) {
  const sent: SentViberMessage[] = [];
  const calls: string[] = [];
  let webhook: { url: string; event_types: string[] } | undefined;
  /** Where set_webhook's check goes instead of the URL's own origin, as a proxy in front of the middleware would send it. */
  let checkVia: string | undefined;
  let throttled = 0;
  /** Server errors to answer send_message with, HTTP status each. */
  let serverErrors = 0;
  // Tokens above 2^53, so that a reader that parses them as numbers loses their last digits.
  let nextToken = 5_123_456_789_012_345_000n;
  const users = new Map<string, ViberTestUser>();
  const unsubscribed = new Set<string>();
  const files = new Map<string, { bytes: Buffer; type: string }>();
  let nextFile = 1;

  const answer = (status: number, status_message: string, extra: Record<string, unknown> = {}): JsonAnswer => ({
    status: 200,
    body: { status, status_message, ...extra },
  });
  const token = () => String(nextToken++);

  const methods: Record<string, (params: Record<string, unknown>) => JsonAnswer | Promise<JsonAnswer>> = {
    async set_webhook(params) {
      const url = typeof params.url === 'string' ? params.url : '';
      if (url === '') {
        webhook = undefined;
        return answer(STATUS.ok, 'ok');
      }
      if (!url.startsWith('https://')) return answer(STATUS.invalidUrl, 'Invalid URL: only https is accepted');
      const eventTypes = Array.isArray(params.event_types) ? (params.event_types as string[]) : [];
      const checked = checkVia ? `${checkVia}${new URL(url).pathname}` : url;
      const check = await deliverRaw(
        checked,
        rawCallback({ event: 'webhook', timestamp: Date.now(), chat_hostname: 'SN-CHAT-01_', message_token: token() }),
      ).catch(() => undefined);
      if (check?.status !== 200) return answer(STATUS.invalidUrl, `Result[HttpResponse(${check?.status ?? 0})] of the webhook check`);
      webhook = { url, event_types: eventTypes };
      return answer(STATUS.ok, 'ok', { event_types: eventTypes });
    },
    get_account_info: () =>
      answer(STATUS.ok, 'ok', {
        id: 'pa:1234567890',
        name: 'Support',
        uri: 'support',
        category: 'Business',
        webhook: webhook?.url ?? '',
        subscribers_count: users.size,
      }),
    async send_message(params) {
      const receiver = typeof params.receiver === 'string' ? params.receiver : '';
      const sender = params.sender as { name?: unknown; avatar?: unknown } | undefined;
      const type = typeof params.type === 'string' ? params.type : '';
      if (throttled > 0) {
        throttled -= 1;
        return answer(STATUS.tooManyRequests, 'tooManyRequests');
      }
      if (Buffer.byteLength(JSON.stringify(params)) > REQUEST_BYTES_MAX) return answer(STATUS.badData, 'the request is over 30 KB');
      if (!receiver || typeof sender?.name !== 'string' || !sender.name) return answer(STATUS.missingData, 'missing receiver or sender.name');
      if (sender.name.length > SENDER_NAME_LIMIT) return answer(STATUS.badData, 'sender.name is too long');
      if (!users.has(receiver)) return answer(STATUS.receiverNotRegistered, 'receiverNotRegistered');
      if (unsubscribed.has(receiver)) return answer(STATUS.receiverNotSubscribed, 'receiverNotSubscribed');
      const base = { receiver, type, sender: { name: sender.name, ...(typeof sender.avatar === 'string' ? { avatar: sender.avatar } : {}) } };
      const tracking_data = params.tracking_data;
      if (tracking_data !== undefined && (typeof tracking_data !== 'string' || tracking_data.length > TRACKING_DATA_MAX))
        return answer(STATUS.badData, 'tracking_data is too long');
      const tracked = typeof tracking_data === 'string' ? { tracking_data } : {};
      if (params.keyboard !== undefined) {
        const keyboard = params.keyboard as { Type?: unknown; Buttons?: unknown[] };
        const problem =
          keyboard.Type !== 'keyboard'
            ? 'keyboard.Type must be keyboard'
            : (buttonsProblem(keyboard.Buttons, 2) ??
              (keyboardRows(keyboard.Buttons as Array<{ Columns?: number; Rows?: number }>) > KEYBOARD_ROWS_MAX
                ? `a keyboard holds at most ${KEYBOARD_ROWS_MAX} rows`
                : undefined));
        if (problem) return answer(STATUS.badData, problem);
      }
      const keyboard = params.keyboard ? { keyboard: params.keyboard as SentViberMessage['keyboard'] } : {};
      if (type === 'text') {
        const text = typeof params.text === 'string' ? params.text : '';
        if (!text.trim() || text.length > TEXT_LIMIT) return answer(STATUS.badData, 'text is empty or too long');
        const message_token = token();
        sent.push({ ...base, text, message_token, ...keyboard, ...tracked });
        return answer(STATUS.ok, 'ok', { message_token });
      }
      if (type === 'rich_media') {
        const problem = richMediaProblem(params);
        if (problem) return answer(STATUS.badData, problem);
        const message_token = token();
        sent.push({ ...base, text: '', message_token, rich_media: params.rich_media as SentViberMessage['rich_media'], ...keyboard, ...tracked });
        return answer(STATUS.ok, 'ok', { message_token });
      }
      if (type === 'location') {
        const location = params.location as { lat?: unknown; lon?: unknown } | undefined;
        const { lat, lon } = location ?? {};
        if (typeof lat !== 'number' || typeof lon !== 'number' || Math.abs(lat) > 90 || Math.abs(lon) > 180)
          return answer(STATUS.badData, 'location needs lat (-90 to 90) and lon (-180 to 180)');
        const message_token = token();
        sent.push({ ...base, text: '', message_token, location: { lat, lon }, ...keyboard, ...tracked });
        return answer(STATUS.ok, 'ok', { message_token });
      }
      const limits = MEDIA_LIMITS[type];
      if (!limits) return answer(STATUS.badData, `unknown message type ${type}`);
      const media = typeof params.media === 'string' ? params.media : '';
      if (!/^https?:\/\/./.test(media)) return answer(STATUS.badData, 'media is not a URL');
      if (type !== 'picture' && typeof params.size !== 'number') return answer(STATUS.missingData, 'size is required');
      if (type === 'file' && typeof params.file_name !== 'string') return answer(STATUS.missingData, 'file_name is required');
      const fetched = await fetch(media).catch(() => undefined);
      if (!fetched?.ok) return answer(STATUS.badData, 'the media could not be fetched');
      const contentType = (fetched.headers.get('content-type') ?? '').split(';')[0]!.trim();
      const bytes = Buffer.from(await fetched.arrayBuffer());
      if ((limits.types && !limits.types.includes(contentType)) || bytes.length > limits.maxBytes)
        return answer(STATUS.badData, `the ${type} is not of a type or size Viber takes`);
      const message_token = token();
      sent.push({ ...base, text: '', message_token, media, bytes, ...(type === 'file' ? { file_name: params.file_name as string } : {}) });
      return answer(STATUS.ok, 'ok', { message_token });
    },
  };

  const server = await startJsonServer(async (request) => {
    const { method, path, headers, body } = request;
    const file = /^\/media\/(\w+)$/.exec(path);
    if (file && method === 'GET') {
      const stored = files.get(file[1]!);
      return stored
        ? { status: 200, body: undefined, bytes: stored.bytes, headers: { 'content-type': stored.type } }
        : { status: 404, body: { message: 'Not Found' } };
    }
    const match = /^\/pa\/([a-z_]+)$/.exec(path);
    if (!match || method !== 'POST') return phoneSide(request);
    if (headers['x-viber-auth-token'] !== options.authToken) return answer(STATUS.invalidAuthToken, 'invalidAuthToken');
    const handler = methods[match[1]!];
    if (!handler) return { status: 404, body: { message: 'Not Found' } };
    calls.push(match[1]!);
    if (match[1] === 'send_message' && serverErrors > 0) {
      serverErrors -= 1;
      return { status: 503, body: { message: 'Service Unavailable' } };
    }
    return handler((typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>);
  }, options);

  /** A callback as Viber writes it: `message_token` a bare 64-bit integer. */
  function rawCallback(callback: Record<string, unknown>): string {
    const { message_token, ...rest } = callback;
    const json = JSON.stringify(rest);
    return message_token === undefined ? json : `{"message_token":${String(message_token)},${json.slice(1)}`;
  }

  /** A user's message callback; `user` becomes someone the bot may write to. */
  const messageCallback = (user: ViberTestUser, message: Record<string, unknown>) => {
    users.set(user.id, user);
    return rawCallback({
      event: 'message',
      timestamp: Date.now(),
      chat_hostname: 'SN-CHAT-01_',
      message_token: token(),
      sender: { id: user.id, name: user.name, avatar: 'https://media-direct.cdn.viber.com/avatar.jpg', language: 'en', country: 'GB', api_version: 10 },
      message,
      silent: false,
    });
  };

  /** A picture message from `user`, its bytes on the stand-in's media host. */
  const messageCallbackOfPicture = (user: ViberTestUser, bytes: Buffer, text?: string) =>
    messageCallback(user, {
      type: 'picture',
      media: hostFile(bytes, 'image/jpeg'),
      thumbnail: `${server.url}/media/thumb`,
      size: bytes.length,
      file_name: 'photo.jpg',
      ...(text ? { text } : {}),
    });

  /** A file the user sends, on the stand-in's media host as Viber's CDN serves it. */
  const hostFile = (bytes: Buffer, type: string) => {
    const id = `f${nextFile++}`;
    files.set(id, { bytes, type });
    return `${server.url}/media/${id}`;
  };

  /** Signs and POSTs a raw callback as Viber does; `signature` replaces the right one (none when null). */
  function deliverRaw(url: string, raw: string, signature?: string | null) {
    const right = createHmac('sha256', options.authToken).update(raw).digest('hex');
    const header = signature === undefined ? right : signature;
    return postWebhook(url, header === null ? {} : { 'x-viber-content-signature': header }, raw);
  }

  /** The demo's side of the app: its page, and a user who writes and reads (not part of the bot API). */
  async function phoneSide({ method, path, body }: JsonRequest): Promise<JsonAnswer> {
    const params = (typeof body === 'object' && body !== null ? body : {}) as {
      name?: string;
      user?: { id?: string; name?: string };
      text?: string;
      image?: string;
    };
    if (method === 'GET' && path === '/') return { status: 200, body: phonePage({ name: 'Viber', color: '#7360F2', pictures: true }), html: true };
    if (method === 'POST' && path === '/sandbox/users') return { status: 200, body: { id: viberUserId(), name: params.name || 'Viber user' } };
    if (method === 'POST' && path === '/sandbox/say' && typeof params.user?.id === 'string' && params.text) {
      const user = { id: params.user.id, name: params.user.name || 'Viber user' };
      return { status: 200, body: await deliver(messageCallback(user, { type: 'text', text: params.text })) };
    }
    if (method === 'POST' && path === '/sandbox/say-picture' && typeof params.user?.id === 'string' && params.image) {
      const user = { id: params.user.id, name: params.user.name || 'Viber user' };
      return { status: 200, body: await deliver(messageCallbackOfPicture(user, Buffer.from(params.image, 'base64'))) };
    }
    const shown = /^\/sandbox\/sent\/(\d+)$/.exec(path);
    const shownMessage = shown && sent.find((message) => message.message_token === shown[1] && message.bytes);
    if (method === 'GET' && shownMessage) return { status: 200, body: undefined, bytes: shownMessage.bytes, headers: { 'content-type': 'image/jpeg' } };
    const chat = /^\/sandbox\/chats\/(.+)$/.exec(path);
    if (method === 'GET' && chat) {
      const id = decodeURIComponent(chat[1]!);
      // A picture as the app shows it, from Viber's copy (the link it fetched expires).
      const shownAs = (message: SentViberMessage) =>
        message.type === 'picture' ? { image: `sandbox/sent/${message.message_token}` } : message.text || message.media || `[${message.type}]`;
      return { status: 200, body: { messages: sent.filter((message) => message.receiver === id).map(shownAs) } };
    }
    return { status: 404, body: { message: 'Not Found' } };
  }

  /** POSTs a raw callback to the webhook set (or to `url`: the middleware under test listens on plain http). */
  function deliver(raw: string, init: { url?: string; signature?: string | null } = {}) {
    const url = init.url ?? webhook?.url;
    if (!url) throw new Error('no webhook is set');
    return deliverRaw(url, raw, init.signature);
  }

  return {
    url: server.url,
    /** What CHANNEL_<TYPE>_API_BASE_URL points at. */
    apiBaseUrl: `${server.url}/pa`,
    sent,
    calls,
    get webhook() {
      return webhook;
    },
    textCallback: (user: ViberTestUser, text: string) => messageCallback(user, { type: 'text', text }),
    /** The user taps `button`, a reply button the bot sent: Viber sends its ActionBody as the user's text, with the message's tracking_data. */
    tapCallback(user: ViberTestUser, sent: SentViberMessage, button: ViberTestButton) {
      if (button.ActionType !== 'reply') throw new Error('only a reply button sends a message');
      return messageCallback(user, { type: 'text', text: button.ActionBody, ...(sent.tracking_data ? { tracking_data: sent.tracking_data } : {}) });
    },
    /** The user shares a place. */
    locationCallback: (user: ViberTestUser, location: { lat: number; lon: number }) => messageCallback(user, { type: 'location', location }),
    pictureCallback: (user: ViberTestUser, bytes: Buffer, text?: string) =>
      messageCallback(user, {
        type: 'picture',
        media: hostFile(bytes, 'image/jpeg'),
        thumbnail: `${server.url}/media/thumb`,
        size: bytes.length,
        file_name: 'photo.jpg',
        ...(text ? { text } : {}),
      }),
    fileCallback: (user: ViberTestUser, bytes: Buffer, fileName: string, type: string) =>
      messageCallback(user, { type: 'file', media: hostFile(bytes, type), size: bytes.length, file_name: fileName }),
    messageCallback,
    /** Receipts and subscription callbacks for `user`, as Viber sends them. */
    seenCallback: (user: ViberTestUser, messageToken: string) =>
      rawCallback({ event: 'seen', timestamp: Date.now(), chat_hostname: 'SN-CHAT-01_', message_token: messageToken, user_id: user.id }),
    deliveredCallback: (user: ViberTestUser, messageToken: string) =>
      rawCallback({ event: 'delivered', timestamp: Date.now(), chat_hostname: 'SN-CHAT-01_', message_token: messageToken, user_id: user.id }),
    failedCallback: (user: ViberTestUser, messageToken: string) =>
      rawCallback({
        event: 'failed',
        timestamp: Date.now(),
        chat_hostname: 'SN-CHAT-01_',
        message_token: messageToken,
        user_id: user.id,
        desc: 'failure description',
      }),
    unsubscribedCallback(user: ViberTestUser) {
      unsubscribed.add(user.id);
      return rawCallback({ event: 'unsubscribed', timestamp: Date.now(), chat_hostname: 'SN-CHAT-01_', message_token: token(), user_id: user.id });
    },
    deliver,
    /** The webhook as set_webhook would hold it, for a middleware on plain http on this machine (the demo). */
    useWebhook(url: string) {
      webhook = { url, event_types: ['delivered', 'seen', 'failed', 'subscribed', 'unsubscribed', 'conversation_started'] };
    },
    /** set_webhook checks a URL at `origin` (with the URL's path) instead of the URL itself: the tests' middleware is not at the public URL. */
    checkWebhooksVia(origin: string | undefined) {
      checkVia = origin;
    },
    /** The next `count` send_message calls answer status 12 (tooManyRequests). */
    throttle(count: number) {
      throttled = count;
    },
    /** The next `count` send_message calls answer HTTP 503. */
    failWithServerErrors(count: number) {
      serverErrors = count;
    },
    close: server.close,
  };
}

export type ViberStandIn = Awaited<ReturnType<typeof startViberStandIn>>;
