import { randomInt } from 'node:crypto';
import { type ListenOptions, postWebhook, startJsonServer, type JsonAnswer, type JsonRequest } from './json-server.js';
import { phonePage } from './phone-page.js';

/** A Telegram user as the Bot API's `User` object describes them. */
export interface TelegramTestUser {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
}

export interface SentTelegramMessage {
  chat_id: string;
  /** A text message's text; empty for a photo or a file. */
  text: string;
  message_id: number;
  /** sendPhoto's `photo` or sendDocument's `document`: the URL Telegram fetched, and what it got there. */
  photo?: string;
  document?: string;
  bytes?: Buffer;
  /** An inline keyboard sent with the message: rows of buttons, each with callback_data or a url. */
  reply_markup?: { inline_keyboard: InlineButton[][] };
  /** sendPhoto's caption. */
  caption?: string;
  /** sendLocation's, or sendVenue's with its title and address. */
  location?: { latitude: number; longitude: number; title?: string; address?: string };
}

export interface InlineButton {
  text: string;
  callback_data?: string;
  url?: string;
}

interface WebhookSettings {
  url: string;
  secret_token?: string;
  allowed_updates?: string[];
}

/**
 * Why an inline keyboard is refused, as the Bot API words it: every button has a text and
 * exactly one of callback_data (1 to 64 bytes) or an http(s) or tg url.
 */
function keyboardProblem(markup: unknown): string | undefined {
  if (markup === undefined) return undefined;
  const rows = (markup as { inline_keyboard?: unknown }).inline_keyboard;
  if (!Array.isArray(rows) || rows.some((row) => !Array.isArray(row)))
    return 'Bad Request: can\'t parse inline keyboard button: field "inline_keyboard" must be an Array of Arrays';
  for (const button of rows.flat() as Array<Record<string, unknown>>) {
    if (typeof button.text !== 'string' || button.text === '') return 'Bad Request: text buttons are unallowed in the inline keyboard';
    const data = button.callback_data;
    const url = button.url;
    if ((data === undefined) === (url === undefined)) return "Bad Request: can't parse inline keyboard button: exactly one of the optional fields must be used";
    if (data !== undefined && (typeof data !== 'string' || Buffer.byteLength(data) < 1 || Buffer.byteLength(data) > 64))
      return 'Bad Request: BUTTON_DATA_INVALID';
    if (url !== undefined && (typeof url !== 'string' || !/^(https?|tg):\/\/./.test(url))) return 'Bad Request: inline keyboard button URL is invalid';
  }
  return undefined;
}

const isCoordinate = (value: unknown, limit: number) => typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= limit;

const BOT = { id: 7000000001, is_bot: true, first_name: 'Support', username: 'support_test_bot' };
const TEXT_LIMIT = 4096;
const MB = 1024 * 1024;

/**
 * The Telegram Bot API's double, for `POST /bot<token>/<method>` with a JSON body: getMe,
 * sendMessage, setWebhook, getWebhookInfo and deleteWebhook, answering `{ ok, result }` or
 * `{ ok: false, error_code, description, parameters? }` as the Bot API documents. It also
 * plays the user's side: updates shaped as Telegram sends them, POSTed to the webhook set.
 */
export async function startTelegramStandIn(options: { token: string } & ListenOptions) {
  const sent: SentTelegramMessage[] = [];
  const calls: string[] = [];
  /** The callback queries answered (answerCallbackQuery), in order. */
  const answeredQueries: string[] = [];
  /** When each sendMessage arrived and how it was answered. */
  const sendAttempts: Array<{ at: number; status: number }> = [];
  let webhook: WebhookSettings | undefined;
  let throttled: { remaining: number; retryAfterSeconds: number } = { remaining: 0, retryAfterSeconds: 0 };
  let nextUpdateId = 100_000_000;
  let nextMessageId = 1;
  const users = new Map<string, TelegramTestUser>();
  /** The users' files by file_id, as getFile and the download path serve them. */
  const files = new Map<string, { path: string; bytes: Buffer; servedType: string }>();
  let nextFile = 1;
  const blockedBy = new Set<string>();

  const fail = (error_code: number, description: string, parameters?: Record<string, unknown>): JsonAnswer => ({
    status: error_code,
    body: { ok: false, error_code, description, ...(parameters ? { parameters } : {}) },
  });
  const ok = (result: unknown, description?: string): JsonAnswer => ({ status: 200, body: { ok: true, result, ...(description ? { description } : {}) } });

  /** Why a send to `chatId` is refused (rate limit, unknown chat, blocked bot), or undefined. */
  const sendRefusal = (chatId: string): JsonAnswer | undefined => {
    if (throttled.remaining > 0) {
      throttled.remaining -= 1;
      const seconds = throttled.retryAfterSeconds;
      return fail(429, `Too Many Requests: retry after ${seconds}`, { retry_after: seconds });
    }
    if (!chatId) return fail(400, 'Bad Request: chat_id is empty');
    if (!users.get(chatId)) return fail(400, 'Bad Request: chat not found');
    if (blockedBy.has(chatId)) return fail(403, 'Forbidden: bot was blocked by the user');
    return undefined;
  };

  /**
   * sendPhoto and sendDocument with an HTTP URL: Telegram downloads the file itself, and by URL
   * takes photos up to 5 MB and files up to 20 MB, the files only as GIF, PDF or ZIP.
   */
  const sendFile = (field: 'photo' | 'document') => async (params: Record<string, unknown>) => {
    const chatId = String(params.chat_id ?? '');
    const refusal = sendRefusal(chatId);
    if (refusal) return refusal;
    const url = params[field];
    if (typeof url !== 'string' || !/^https?:\/\/./.test(url)) return fail(400, 'Bad Request: wrong file identifier/HTTP URL specified');
    const fetched = await fetch(url).catch(() => undefined);
    if (!fetched?.ok) return fail(400, 'Bad Request: failed to get HTTP URL content');
    const type = (fetched.headers.get('content-type') ?? '').split(';')[0]!.trim();
    const bytes = Buffer.from(await fetched.arrayBuffer());
    const [types, limit] = field === 'photo' ? [['image/jpeg', 'image/png'], 5 * MB] : [['image/gif', 'application/pdf', 'application/zip'], 20 * MB];
    if (!types.includes(type)) return fail(400, 'Bad Request: wrong type of the web page content');
    if (bytes.length > limit) return fail(400, 'Bad Request: failed to get HTTP URL content');
    const keyboard = keyboardProblem(params.reply_markup);
    if (keyboard) return fail(400, keyboard);
    const message_id = nextMessageId++;
    const extras = {
      ...(typeof params.caption === 'string' ? { caption: params.caption } : {}),
      ...(params.reply_markup ? { reply_markup: params.reply_markup as SentTelegramMessage['reply_markup'] } : {}),
    };
    sent.push({ chat_id: chatId, text: '', message_id, [field]: url, bytes, ...extras });
    const file = { file_id: `sent${message_id}`, file_unique_id: `u${message_id}`, file_size: bytes.length };
    const content = field === 'photo' ? { photo: [{ ...file, width: 800, height: 600 }] } : { document: file };
    return ok({ message_id, from: BOT, chat: { ...users.get(chatId), type: 'private' }, date: Math.floor(Date.now() / 1000), ...content });
  };

  /** sendLocation, and sendVenue which also needs a title and an address. */
  const sendPlace = (params: Record<string, unknown>, venue: boolean): JsonAnswer => {
    const chatId = String(params.chat_id ?? '');
    const refusal = sendRefusal(chatId);
    if (refusal) return refusal;
    if (!isCoordinate(params.latitude, 90) || !isCoordinate(params.longitude, 180)) return fail(400, 'Bad Request: wrong latitude or longitude specified');
    if (venue && (typeof params.title !== 'string' || !params.title || typeof params.address !== 'string' || !params.address)) {
      return fail(400, 'Bad Request: venue title and address must be non-empty');
    }
    const location = {
      latitude: params.latitude as number,
      longitude: params.longitude as number,
      ...(venue ? { title: params.title as string, address: params.address as string } : {}),
    };
    const message_id = nextMessageId++;
    sent.push({ chat_id: chatId, text: '', message_id, location });
    return ok({ message_id, from: BOT, chat: { ...users.get(chatId), type: 'private' }, date: Math.floor(Date.now() / 1000), location });
  };

  const methods: Record<string, (params: Record<string, unknown>) => JsonAnswer | Promise<JsonAnswer>> = {
    sendPhoto: sendFile('photo'),
    sendDocument: sendFile('document'),
    getMe: () => ok(BOT),
    getFile(params) {
      const file = files.get(String(params.file_id ?? ''));
      if (!file) return fail(400, 'Bad Request: invalid file_id');
      return ok({ file_id: params.file_id, file_unique_id: `u${params.file_id}`, file_size: file.bytes.length, file_path: file.path });
    },
    sendMessage(params) {
      const chatId = String(params.chat_id ?? '');
      const text = typeof params.text === 'string' ? params.text : '';
      const refusal = sendRefusal(chatId);
      if (refusal) return refusal;
      if (!text.trim()) return fail(400, 'Bad Request: message text is empty');
      if (text.length > TEXT_LIMIT) return fail(400, 'Bad Request: message is too long');
      const keyboard = keyboardProblem(params.reply_markup);
      if (keyboard) return fail(400, keyboard);
      const user = users.get(chatId);
      const message_id = nextMessageId++;
      const reply_markup = params.reply_markup as SentTelegramMessage['reply_markup'];
      sent.push({ chat_id: chatId, text, message_id, ...(reply_markup ? { reply_markup } : {}) });
      return ok({
        message_id,
        from: BOT,
        chat: { ...user, type: 'private' },
        date: Math.floor(Date.now() / 1000),
        text,
        ...(reply_markup ? { reply_markup } : {}),
      });
    },
    sendLocation: (params) => sendPlace(params, false),
    sendVenue: (params) => sendPlace(params, true),
    answerCallbackQuery(params) {
      const queryId = params.callback_query_id;
      // Telegram takes one answer per query: a second is refused like an expired one.
      if (typeof queryId !== 'string' || answeredQueries.includes(queryId))
        return fail(400, 'Bad Request: query is too old and response timeout expired or query ID is invalid');
      answeredQueries.push(queryId);
      return ok(true);
    },
    setWebhook(params) {
      if (typeof params.url !== 'string') return fail(400, 'Bad Request: bad webhook: URL must be set');
      if (params.url === '') {
        webhook = undefined;
        return ok(true, 'Webhook was deleted');
      }
      if (!params.url.startsWith('https://')) return fail(400, 'Bad Request: bad webhook: An HTTPS URL must be provided for webhook');
      if (params.secret_token !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(String(params.secret_token))) {
        return fail(400, 'Bad Request: secret token contains unallowed characters');
      }
      const next: WebhookSettings = {
        url: params.url,
        secret_token: params.secret_token as string | undefined,
        allowed_updates: params.allowed_updates as string[] | undefined,
      };
      const same = JSON.stringify(next) === JSON.stringify(webhook);
      webhook = next;
      return ok(true, same ? 'Webhook is already set' : 'Webhook was set');
    },
    // The secret token is never given back.
    getWebhookInfo: () =>
      ok({
        url: webhook?.url ?? '',
        has_custom_certificate: false,
        pending_update_count: 0,
        ...(webhook?.allowed_updates ? { allowed_updates: webhook.allowed_updates } : {}),
      }),
    deleteWebhook() {
      webhook = undefined;
      return ok(true, 'Webhook was deleted');
    },
  };

  const server = await startJsonServer(async (request) => {
    const { method, path, body } = request;
    const download = /^\/file\/bot([^/]+)\/(.+)$/.exec(path);
    if (download && method === 'GET') {
      if (download[1] !== options.token) return fail(401, 'Unauthorized');
      const file = [...files.values()].find((entry) => entry.path === download[2]);
      return file ? { status: 200, body: undefined, bytes: file.bytes, headers: { 'content-type': file.servedType } } : fail(404, 'Not Found');
    }
    if (!path.startsWith('/bot')) return phoneSide(request);
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(path);
    if (!match || method !== 'POST') return fail(404, 'Not Found');
    if (match[1] !== options.token) return fail(401, 'Unauthorized');
    const handler = methods[match[2]!];
    if (!handler) return fail(404, 'Not Found: method not found');
    calls.push(match[2]!);
    const answer = await handler((typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>);
    if (match[2] === 'sendMessage') sendAttempts.push({ at: Date.now(), status: answer.status });
    return answer;
  }, options);

  /** A text message update from `user`, as the Bot API's Update object gives it. */
  const textUpdate = (user: TelegramTestUser, text: string) => {
    users.set(String(user.id), user);
    return {
      update_id: nextUpdateId++,
      message: {
        message_id: nextMessageId++,
        from: { ...user, is_bot: false, language_code: 'en' },
        chat: { ...user, type: 'private' },
        date: Math.floor(Date.now() / 1000),
        text,
      },
    };
  };

  /** A file the user sends: its file_id, and the path getFile gives for it. */
  const addFile = (bytes: Buffer, folder: string, extension: string, servedType: string) => {
    const fileId = `AgAC${nextFile}file`;
    files.set(fileId, { path: `${folder}/file_${nextFile++}.${extension}`, bytes, servedType });
    return fileId;
  };

  /** A photo message from `user`, as Telegram sends it: several sizes, the last the largest (the file given). */
  const photoUpdate = (user: TelegramTestUser, bytes: Buffer, caption?: string) => {
    const { update_id, message } = textUpdate(user, '');
    const { text: _text, ...withoutText } = message;
    const large = addFile(bytes, 'photos', 'jpg', 'image/jpeg');
    const small = addFile(bytes.subarray(0, 64), 'photos', 'jpg', 'image/jpeg');
    const photo = [
      { file_id: small, file_unique_id: `u${small}`, width: 90, height: 67, file_size: 64 },
      { file_id: large, file_unique_id: `u${large}`, width: 1280, height: 960, file_size: bytes.length },
    ];
    return { update_id, message: { ...withoutText, photo, ...(caption ? { caption } : {}) } };
  };

  /**
   * A sticker from `user`, as Telegram sends it: a static one is a WebP file with a thumbnail;
   * an animated (.tgs) or video (.webm) one has its thumbnail only when `thumbnail` is given.
   */
  const stickerUpdate = (
    user: TelegramTestUser,
    sticker: { bytes: Buffer; emoji?: string; setName?: string; format?: 'static' | 'animated' | 'video'; thumbnail?: Buffer },
  ) => {
    const { update_id, message } = textUpdate(user, '');
    const { text: _text, ...withoutText } = message;
    const format = sticker.format ?? 'static';
    const [extension, servedType] = { static: ['webp', 'image/webp'], animated: ['tgs', 'application/x-tgsticker'], video: ['webm', 'video/webm'] }[format];
    const fileId = addFile(sticker.bytes, 'stickers', extension!, servedType!);
    const thumbnail = sticker.thumbnail ?? (format === 'static' ? sticker.bytes.subarray(0, 64) : undefined);
    const thumbnailId = thumbnail && addFile(thumbnail, 'thumbnails', 'webp', 'image/webp');
    return {
      update_id,
      message: {
        ...withoutText,
        sticker: {
          file_id: fileId,
          file_unique_id: `u${fileId}`,
          type: 'regular',
          width: 512,
          height: 512,
          is_animated: format === 'animated',
          is_video: format === 'video',
          file_size: sticker.bytes.length,
          ...(thumbnailId
            ? { thumbnail: { file_id: thumbnailId, file_unique_id: `u${thumbnailId}`, width: 128, height: 128, file_size: thumbnail.length } }
            : {}),
          ...(sticker.emoji ? { emoji: sticker.emoji } : {}),
          ...(sticker.setName ? { set_name: sticker.setName } : {}),
        },
      },
    };
  };

  /** A file message from `user` (a Document), served as application/octet-stream like Telegram's file host. */
  const documentUpdate = (user: TelegramTestUser, file: { bytes: Buffer; file_name: string; mime_type: string }) => {
    const { update_id, message } = textUpdate(user, '');
    const { text: _text, ...withoutText } = message;
    const fileId = addFile(file.bytes, 'documents', file.file_name.split('.').pop() ?? 'bin', 'application/octet-stream');
    const document = { file_id: fileId, file_unique_id: `u${fileId}`, file_name: file.file_name, mime_type: file.mime_type, file_size: file.bytes.length };
    return { update_id, message: { ...withoutText, document } };
  };

  /** The user taps a button of the inline keyboard under `sent` (a message the bot sent them): its callback query, as Telegram sends it. */
  const callbackQueryUpdate = (user: TelegramTestUser, sent: SentTelegramMessage, buttonText: string) => {
    const button = sent.reply_markup?.inline_keyboard.flat().find((b) => b.text === buttonText);
    if (!button?.callback_data) throw new Error(`no button "${buttonText}" with callback_data under message ${sent.message_id}`);
    users.set(String(user.id), user);
    return {
      update_id: nextUpdateId++,
      callback_query: {
        id: String(randomInt(1e9, 9e9)),
        from: { ...user, is_bot: false, language_code: 'en' },
        message: {
          message_id: sent.message_id,
          from: BOT,
          chat: { ...user, type: 'private' },
          date: Math.floor(Date.now() / 1000),
          text: sent.text,
          reply_markup: sent.reply_markup,
        },
        chat_instance: String(user.id),
        data: button.callback_data,
      },
    };
  };

  /** The user shares a place: a location, or a venue (a location with its title and address). */
  const locationUpdate = (user: TelegramTestUser, place: { latitude: number; longitude: number; title?: string; address?: string }) => {
    const { update_id, message } = textUpdate(user, '');
    const { text: _text, ...withoutText } = message;
    const location = { latitude: place.latitude, longitude: place.longitude };
    const venue = place.title ? { venue: { location, title: place.title, address: place.address ?? '' } } : {};
    return { update_id, message: { ...withoutText, location, ...venue } };
  };

  /** The user shares a contact card. */
  const contactUpdate = (user: TelegramTestUser, contact: { phone_number: string; first_name: string; last_name?: string }) => {
    const { update_id, message } = textUpdate(user, '');
    const { text: _text, ...withoutText } = message;
    return { update_id, message: { ...withoutText, contact } };
  };

  /** The demo's side of the app: its page, and a user who writes and reads (not part of the Bot API). */
  async function phoneSide({ method, path, body }: JsonRequest): Promise<JsonAnswer> {
    const params = (typeof body === 'object' && body !== null ? body : {}) as { name?: string; user?: { id?: number; name?: string }; text?: string };
    if (method === 'GET' && path === '/') return { status: 200, body: phonePage({ name: 'Telegram', color: '#229ED9' }), html: true };
    if (method === 'POST' && path === '/sandbox/users')
      return { status: 200, body: { id: randomInt(100_000_000, 999_999_999), name: params.name || 'Telegram user' } };
    if (method === 'POST' && path === '/sandbox/say' && typeof params.user?.id === 'number' && params.text) {
      const [first_name, ...rest] = (params.user.name || 'Telegram user').split(' ');
      const answer = await deliver(
        textUpdate({ id: params.user.id, first_name: first_name!, ...(rest.length ? { last_name: rest.join(' ') } : {}) }, params.text),
      );
      return { status: 200, body: answer };
    }
    const chat = /^\/sandbox\/chats\/(-?\d+)$/.exec(path);
    if (method === 'GET' && chat)
      return { status: 200, body: { messages: sent.filter((message) => message.chat_id === chat[1]).map((message) => message.text) } };
    return fail(404, 'Not Found');
  }

  /**
   * POSTs an update as Telegram does to its webhook (or to `url`: the middleware under test
   * listens on plain http, which setWebhook refuses), with the secret token set or `secretToken` (none when null).
   */
  function deliver(update: unknown, init: { url?: string; secretToken?: string | null } = {}) {
    const url = init.url ?? webhook?.url;
    if (!url) throw new Error('no webhook is set');
    const secretToken = init.secretToken === undefined ? webhook?.secret_token : init.secretToken;
    return postWebhook(url, secretToken ? { 'x-telegram-bot-api-secret-token': secretToken } : {}, JSON.stringify(update));
  }

  return {
    url: server.url,
    token: options.token,
    sent,
    calls,
    answeredQueries,
    sendAttempts,
    get webhook() {
      return webhook;
    },
    textUpdate,
    callbackQueryUpdate,
    locationUpdate,
    contactUpdate,
    photoUpdate,
    stickerUpdate,
    documentUpdate,
    /** Registers `user` as someone the bot may write to (they started the bot). */
    knows(user: TelegramTestUser) {
      users.set(String(user.id), user);
    },
    deliver,
    /** The webhook as setWebhook would hold it, for a middleware on plain http on this machine (the demo). */
    useWebhook(url: string, secretToken: string) {
      webhook = { url, secret_token: secretToken, allowed_updates: ['message', 'edited_message', 'callback_query'] };
    },
    /** `user` blocks the bot: sendMessage to them answers 403. */
    blockedBy(user: TelegramTestUser) {
      blockedBy.add(String(user.id));
    },
    /** The next `count` sendMessage calls are refused with 429 and retry_after. */
    throttle(count: number, retryAfterSeconds: number) {
      throttled = { remaining: count, retryAfterSeconds };
    },
    close: server.close,
  };
}

export type TelegramStandIn = Awaited<ReturnType<typeof startTelegramStandIn>>;
