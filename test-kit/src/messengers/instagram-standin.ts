import { createHmac, randomBytes } from 'node:crypto';
import { type ListenOptions, postWebhook, startJsonServer, type JsonAnswer, type JsonRequest } from './json-server.js';
import { phonePage } from './phone-page.js';

export interface InstagramTestUser {
  /** The Instagram-scoped id (IGSID) Meta gives the customer for this account. */
  id: string;
  name: string;
  username: string;
}

/** What the Send API took: a text, an attachment (with the bytes Meta fetched from its URL), or a sender action. */
export interface SentInstagramMessage {
  to: string;
  text?: string;
  attachment?: { type: string; url: string; contentType: string; bytes: number };
  senderAction?: string;
  /** `RESPONSE`, or `HUMAN_AGENT` when sent with that tag. */
  sentAs?: string;
  /** The quick replies sent with a text, their titles as Instagram shows them (cut to 20 characters). */
  quickReplies?: Array<{ title: string; payload: string }>;
  /** A generic template's elements (a card, or a carousel of them). */
  template?: { elements: InstagramTemplateElement[] };
}

export interface InstagramTemplateElement {
  title: string;
  subtitle?: string;
  image_url?: string;
  buttons?: Array<{ type: 'web_url' | 'postback'; title: string; url?: string; payload?: string }>;
}

/** Instagram quick replies: at most 13, titles shown cut to 20 characters (Instagram Messaging, Quick Replies). */
const QUICK_REPLIES_MAX = 13;
const QUICK_REPLY_TITLE_SHOWN = 20;
/** A quick reply's or a postback button's payload (Messenger Platform quick replies and postback button references). */
const PAYLOAD_MAX = 1000;
/** The generic template: 10 elements, title and subtitle 80 characters, 3 buttons (Messenger Platform generic template). */
const ELEMENTS_MAX = 10;
const ELEMENT_TEXT_MAX = 80;
const BUTTONS_MAX = 3;
/** A URL or postback button's title (Messenger Platform URL and postback button references). */
const BUTTON_TITLE_MAX = 20;

const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.length > 0 && Array.from(v).length <= max;

/** Why quick replies are refused, as the Send API words it; undefined when they are fine. */
function quickRepliesProblem(replies: unknown): string | undefined {
  if (replies === undefined) return undefined;
  if (!Array.isArray(replies) || replies.length === 0 || replies.length > QUICK_REPLIES_MAX)
    return `(#100) param message[quick_replies] must be an array of 1 to ${QUICK_REPLIES_MAX} elements`;
  for (const reply of replies as Array<Record<string, unknown>>) {
    if (reply.content_type !== 'text') return '(#100) param message[quick_replies][content_type] must be one of {text}';
    if (!isText(reply.title, Infinity)) return '(#100) param title must be a non-empty string';
    if (!isText(reply.payload, PAYLOAD_MAX)) return `(#100) param payload must be 1 to ${PAYLOAD_MAX} characters`;
  }
  return undefined;
}

/** Why a generic template is refused; undefined when it is fine. */
function templateProblem(payload: Record<string, unknown>): string | undefined {
  if (payload.template_type !== 'generic') return '(#100) param template_type must be generic';
  const elements = payload.elements;
  if (!Array.isArray(elements) || elements.length === 0 || elements.length > ELEMENTS_MAX)
    return `(#100) param elements must be an array of 1 to ${ELEMENTS_MAX} elements`;
  for (const element of elements as Array<Record<string, unknown>>) {
    if (!isText(element.title, ELEMENT_TEXT_MAX)) return `(#100) param elements[title] must be 1 to ${ELEMENT_TEXT_MAX} characters`;
    if (element.subtitle !== undefined && !isText(element.subtitle, ELEMENT_TEXT_MAX))
      return `(#100) param elements[subtitle] must be 1 to ${ELEMENT_TEXT_MAX} characters`;
    const buttons = element.buttons ?? [];
    if (!Array.isArray(buttons) || buttons.length > BUTTONS_MAX) return `(#100) param elements[buttons] must have at most ${BUTTONS_MAX} buttons`;
    for (const button of buttons as Array<Record<string, unknown>>) {
      if (!isText(button.title, BUTTON_TITLE_MAX)) return `(#100) param buttons[title] must be 1 to ${BUTTON_TITLE_MAX} characters`;
      if (button.type === 'web_url' && typeof button.url === 'string' && /^https?:\/\//.test(button.url)) continue;
      if (button.type === 'postback' && isText(button.payload, PAYLOAD_MAX)) continue;
      return '(#100) param buttons must be web_url buttons with a url or postback buttons with a payload';
    }
  }
  return undefined;
}

const GRAPH_VERSION = 'v21.0';
/** A text: UTF-8, at most 1,000 bytes (Instagram Messaging, Send a Message). */
const TEXT_BYTES_MAX = 1000;
const HOUR_MS = 60 * 60 * 1000;
const RESPONSE_WINDOW_MS = 24 * HOUR_MS;
const HUMAN_AGENT_WINDOW_MS = 7 * 24 * HOUR_MS;

/** An Instagram-scoped id: digits, as Meta gives them. */
export const instagramUserId = () => String(BigInt(`0x${randomBytes(7).toString('hex')}`) + 10n ** 15n);

/**
 * Meta's Messenger Platform for Instagram, its double: the Send API (texts, attachments by
 * URL, `mark_seen`) with the 24-hour window and the HUMAN_AGENT tag's 7 days on its own clock,
 * the User Profile API, `/me`, Graph errors (`{ error: { message, type, code, error_subcode } }`,
 * rate limits as code 613) and the CDN serving customers' files. It also plays the customers'
 * side: webhook deliveries shaped as Meta sends them, signed with the app secret, and the GET
 * subscription check.
 */
export async function startInstagramStandIn(options: { appSecret: string; accessToken: string; accountId?: string } & ListenOptions) {
  const accountId = options.accountId ?? '17841400000000001';
  const sent: SentInstagramMessage[] = [];
  const users = new Map<string, InstagramTestUser>();
  /** When each customer last wrote, on the stand-in's clock: the window is counted from there. */
  const lastWrote = new Map<string, number>();
  const files = new Map<string, { bytes: Buffer; contentType: string }>();
  /** The files Meta fetched for the attachments it sent, by their index in `sent`, for the phone page. */
  const sentFiles = new Map<number, { bytes: Buffer; contentType: string }>();
  /** The id of the latest message sent to each customer, which their read names. */
  const lastMessageIdTo = new Map<string, string>();
  let clockOffsetMs = 0;
  const now = () => Date.now() + clockOffsetMs;
  let profileLookups = 0;
  let failures: Array<{ status: number; code: number; message: string }> = [];
  let serverUrl = '';

  const graphError = (status: number, code: number, message: string, subcode?: number): JsonAnswer => ({
    status,
    body: {
      error: { message, type: 'OAuthException', code, ...(subcode ? { error_subcode: subcode } : {}), fbtrace_id: randomBytes(8).toString('base64url') },
    },
  });

  const sentAnswer = (to: string): JsonAnswer => {
    const messageId = mid();
    lastMessageIdTo.set(to, messageId);
    return { status: 200, body: { recipient_id: to, message_id: messageId } };
  };

  /** Seeded random refusals of sends, for the fault report: Meta's rate limit (code 613) and outages (HTTP 500, code 2). */
  let randomFaults: { rate613: number; rate500: number; random: () => number } | undefined;
  const faultCounts = { rateLimited: 0, serverErrors: 0 };

  const randomFault = (): JsonAnswer | undefined => {
    if (!randomFaults) return undefined;
    const draw = randomFaults.random();
    if (draw < randomFaults.rate613) {
      faultCounts.rateLimited += 1;
      return graphError(400, 613, 'Calls to this api have exceeded the rate limit.');
    }
    if (draw < randomFaults.rate613 + randomFaults.rate500) {
      faultCounts.serverErrors += 1;
      return graphError(500, 2, 'An unexpected error has occurred. Please retry your request later.');
    }
    return undefined;
  };

  const send = async (body: Record<string, unknown>): Promise<JsonAnswer> => {
    const failure = failures.shift();
    if (failure) return graphError(failure.status, failure.code, failure.message);
    const fault = randomFault();
    if (fault) return fault;
    const to = String((body.recipient as { id?: unknown } | undefined)?.id ?? '');
    if (!users.has(to)) return graphError(400, 100, '(#100) No matching user found', 2018001);
    const since = now() - (lastWrote.get(to) ?? -Infinity);
    if (typeof body.sender_action === 'string') {
      if (since > RESPONSE_WINDOW_MS) return graphError(400, 10, '(#10) This message is sent outside of allowed window.', 2018278);
      sent.push({ to, senderAction: body.sender_action });
      return { status: 200, body: { recipient_id: to } };
    }
    const humanAgent = body.messaging_type === 'MESSAGE_TAG' && body.tag === 'HUMAN_AGENT';
    if (!humanAgent && body.messaging_type !== 'RESPONSE')
      return graphError(400, 100, '(#100) Param messaging_type must be one of {RESPONSE, UPDATE, MESSAGE_TAG}');
    if (since > (humanAgent ? HUMAN_AGENT_WINDOW_MS : RESPONSE_WINDOW_MS)) {
      return graphError(400, 10, '(#10) This message is sent outside of allowed window.', 2018278);
    }
    const message = (body.message ?? {}) as {
      text?: unknown;
      quick_replies?: unknown;
      attachment?: { type?: unknown; payload?: { url?: unknown } & Record<string, unknown> };
    };
    const sentAs = humanAgent ? 'HUMAN_AGENT' : 'RESPONSE';
    if (typeof message.text === 'string') {
      if (!message.text || Buffer.byteLength(message.text) > TEXT_BYTES_MAX)
        return graphError(400, 100, `(#100) Length of param message[text] must be less than or equal to ${TEXT_BYTES_MAX} bytes`);
      const problem = quickRepliesProblem(message.quick_replies);
      if (problem) return graphError(400, 100, problem);
      const quickReplies = message.quick_replies as Array<{ title: string; payload: string }> | undefined;
      const shown = quickReplies?.map(({ title, payload }) => ({ title: Array.from(title).slice(0, QUICK_REPLY_TITLE_SHOWN).join(''), payload }));
      sent.push({ to, text: message.text, sentAs, ...(shown ? { quickReplies: shown } : {}) });
      return sentAnswer(to);
    }
    if (message.attachment?.type === 'template') {
      const payload = message.attachment.payload ?? {};
      const problem = templateProblem(payload);
      if (problem) return graphError(400, 100, problem);
      sent.push({ to, template: { elements: payload.elements as InstagramTemplateElement[] }, sentAs });
      return sentAnswer(to);
    }
    const url = message.attachment?.payload?.url;
    const type = message.attachment?.type;
    if (typeof url !== 'string' || typeof type !== 'string') return graphError(400, 100, '(#100) The parameter message is required');
    // Meta fetches the file itself before it answers; a file it cannot fetch is refused.
    let fetched: Response;
    try {
      fetched = await fetch(url);
    } catch {
      return graphError(400, 100, '(#100) Failed to fetch the file from the url', 2018047);
    }
    if (!fetched.ok) return graphError(400, 100, '(#100) Failed to fetch the file from the url', 2018047);
    const bytes = Buffer.from(await fetched.arrayBuffer());
    sent.push({ to, attachment: { type, url, contentType: fetched.headers.get('content-type') ?? '', bytes: bytes.length }, sentAs });
    sentFiles.set(sent.length - 1, { bytes, contentType: fetched.headers.get('content-type') ?? 'application/octet-stream' });
    return sentAnswer(to);
  };

  const server = await startJsonServer(async (request) => {
    const { method, path, headers, body } = request;
    const file = /^\/cdn\/([^/]+)$/.exec(path);
    if (method === 'GET' && file) {
      const found = files.get(file[1]!);
      return found ? { status: 200, body: undefined, bytes: found.bytes, headers: { 'content-type': found.contentType } } : { status: 404, body: {} };
    }
    if (!path.startsWith(`/${GRAPH_VERSION}/`)) return phoneSide(request);
    if (headers.authorization !== `Bearer ${options.accessToken}`) return graphError(401, 190, 'Invalid OAuth access token - Cannot parse access token');
    const route = `${method} ${path.slice(GRAPH_VERSION.length + 1)}`;
    if (route === 'POST /me/messages') return send((typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>);
    if (route === 'GET /me') return { status: 200, body: { id: '100000000000001', name: 'Support Page' } };
    const profile = /^GET \/(\d+)$/.exec(route);
    if (profile) {
      profileLookups += 1;
      const user = users.get(profile[1]!);
      return user
        ? { status: 200, body: { id: user.id, name: user.name, username: user.username } }
        : graphError(400, 100, '(#100) Unsupported get request. Object does not exist', 33);
    }
    return graphError(400, 100, `(#100) Unknown path components: ${path}`);
  }, options);
  serverUrl = server.url;

  const mid = () => `aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOj${randomBytes(12).toString('base64url')}`;

  /** One messaging event from `user` as Meta sends it; the customer's window opens now. */
  const messagingEvent = (user: InstagramTestUser, message: Record<string, unknown>) => {
    users.set(user.id, user);
    lastWrote.set(user.id, now());
    return { sender: { id: user.id }, recipient: { id: accountId }, timestamp: now(), message: { mid: mid(), ...message } };
  };

  /** A delivery of events, one entry per account; every entry is the channel's account unless `entries` say otherwise. */
  const callback = (...events: unknown[]) => ({ object: 'instagram', entry: [{ id: accountId, time: now(), messaging: events }] });

  const textEvent = (user: InstagramTestUser, text: string) => messagingEvent(user, { text });

  /** The customer taps a quick reply: its title as the message's text, its payload beside it. */
  const quickReplyEvent = (user: InstagramTestUser, reply: { title: string; payload: string }) =>
    messagingEvent(user, { text: reply.title, quick_reply: { payload: reply.payload } });

  /** The customer taps a postback button of a template (`messaging_postbacks`). */
  const postbackEvent = (user: InstagramTestUser, button: { title: string; payload?: string }) => {
    users.set(user.id, user);
    lastWrote.set(user.id, now());
    return { sender: { id: user.id }, recipient: { id: accountId }, timestamp: now(), postback: { mid: mid(), title: button.title, payload: button.payload } };
  };

  /** The customer has seen the latest message sent to them (`messaging_seen`). */
  const readEvent = (user: InstagramTestUser) => ({
    sender: { id: user.id },
    recipient: { id: accountId },
    timestamp: now(),
    read: { mid: lastMessageIdTo.get(user.id) ?? mid() },
  });

  /** An image the customer sends: Meta's CDN (here, this stand-in) serves it at the attachment's URL. */
  const imageEvent = (user: InstagramTestUser, bytes: Buffer, contentType = 'image/jpeg') => {
    const key = randomBytes(8).toString('hex');
    files.set(key, { bytes, contentType });
    return messagingEvent(user, { attachments: [{ type: 'image', payload: { url: `${serverUrl}/cdn/${key}` } }] });
  };

  /**
   * A sticker the customer sends, in one of the forms Meta documents: a `sticker` attachment
   * with its id (`both` puts the older `image` form of the same sticker, its URL only, before it,
   * as Meta did for a while), or the heart (`like_heart`). The CDN serves `bytes` at the payload's URL; without bytes there is no URL.
   */
  const stickerEvent = (user: InstagramTestUser, sticker: { form: 'sticker' | 'both' | 'like_heart'; bytes?: Buffer; stickerId?: number }) => {
    const key = randomBytes(8).toString('hex');
    if (sticker.bytes) files.set(key, { bytes: sticker.bytes, contentType: 'image/png' });
    const url = sticker.bytes ? { url: `${serverUrl}/cdn/${key}` } : {};
    const payload = { ...url, ...(sticker.stickerId === undefined ? {} : { sticker_id: sticker.stickerId }) };
    if (sticker.form === 'like_heart') return messagingEvent(user, { attachments: [{ type: 'like_heart', ...(sticker.bytes ? { payload: url } : {}) }] });
    const attachments = [...(sticker.form === 'both' ? [{ type: 'image', payload: url }] : []), { type: 'sticker', payload }];
    return messagingEvent(user, { attachments });
  };

  /** A message whose content Meta does not pass on to apps: only `is_unsupported` says it came. */
  const unsupportedEvent = (user: InstagramTestUser) => messagingEvent(user, { is_unsupported: true });

  const sign = (raw: string) => `sha256=${createHmac('sha256', options.appSecret).update(raw).digest('hex')}`;

  let callbackUrl: string | undefined;

  /** POSTs a delivery to `url` (the callback URL set, by default) as Meta does: signed, unless another signature (or none) is given. */
  function deliver(delivery: unknown, init: { url?: string; signature?: string | null } = {}) {
    const url = init.url ?? callbackUrl;
    if (!url) throw new Error('no callback URL is set');
    const raw = JSON.stringify(delivery);
    const signature = init.signature === undefined ? sign(raw) : init.signature;
    return postWebhook(url, signature === null ? {} : { 'x-hub-signature-256': signature }, raw);
  }

  /** Meta's check when a callback URL is saved in the console: a GET with the verify token and a challenge to echo. */
  async function verifySubscription(url: string, verifyToken: string, mode = 'subscribe') {
    const challenge = String(randomBytes(4).readUInt32BE(0));
    const query = new URLSearchParams({ 'hub.mode': mode, 'hub.verify_token': verifyToken, 'hub.challenge': challenge });
    const response = await fetch(`${url}?${query}`);
    const text = await response.text();
    const accepted = response.status === 200 && text === challenge;
    if (accepted) callbackUrl = url;
    return { status: response.status, body: text, accepted };
  }

  /** The demo's side of the app: its page, and a customer who writes and reads (not part of Meta's API). */
  async function phoneSide({ method, path, body }: JsonRequest): Promise<JsonAnswer> {
    const params = (typeof body === 'object' && body !== null ? body : {}) as {
      name?: string;
      user?: { id?: string; name?: string };
      text?: string;
      image?: string;
    };
    const customer = (user: { id: string; name?: string }) => {
      const name = user.name || 'Instagram user';
      return { id: user.id, name, username: name.toLowerCase().replace(/\W+/g, '') };
    };
    if (method === 'GET' && path === '/') return { status: 200, body: phonePage({ name: 'Instagram', color: '#C13584', pictures: true }), html: true };
    if (method === 'POST' && path === '/sandbox/say-picture' && typeof params.user?.id === 'string' && params.image) {
      const answer = await deliver(
        callback(imageEvent(customer({ id: params.user.id, name: params.user.name }), Buffer.from(params.image, 'base64'), 'image/jpeg')),
      );
      return { status: 200, body: answer };
    }
    const sentFile = /^\/sandbox\/files\/(\d+)$/.exec(path);
    if (method === 'GET' && sentFile) {
      const found = sentFiles.get(Number(sentFile[1]));
      return found ? { status: 200, body: undefined, bytes: found.bytes, headers: { 'content-type': found.contentType } } : { status: 404, body: {} };
    }
    if (method === 'POST' && path === '/sandbox/users') return { status: 200, body: { id: instagramUserId(), name: params.name || 'Instagram user' } };
    if (method === 'POST' && path === '/sandbox/say' && typeof params.user?.id === 'string' && params.text) {
      const answer = await deliver(callback(textEvent(customer({ id: params.user.id, name: params.user.name }), params.text)));
      return { status: 200, body: answer };
    }
    const chat = /^\/sandbox\/chats\/(\d+)$/.exec(path);
    if (method === 'GET' && chat) {
      const messages = sent.flatMap((message, index): Array<string | { image: string }> => {
        if (message.to !== chat[1] || message.senderAction) return [];
        if (message.attachment?.type === 'image' && sentFiles.has(index)) return [{ image: `sandbox/files/${index}` }];
        if (message.template) return [message.template.elements.map((element) => element.title).join(' | ')];
        return [message.text ?? `[${message.attachment!.type}]`];
      });
      return { status: 200, body: { messages } };
    }
    return { status: 404, body: { message: 'Not found' } };
  }

  return {
    url: server.url,
    accountId,
    sent,
    get profileLookups() {
      return profileLookups;
    },
    get callbackUrl() {
      return callbackUrl;
    },
    newUser(name: string): InstagramTestUser {
      return { id: instagramUserId(), name, username: name.toLowerCase().replace(/\W+/g, '') };
    },
    textEvent,
    quickReplyEvent,
    postbackEvent,
    readEvent,
    imageEvent,
    stickerEvent,
    unsupportedEvent,
    messagingEvent,
    callback,
    sign,
    deliver,
    verifySubscription,
    /** The callback URL as the console would hold it, for a middleware on plain http on this machine (the demo). */
    useCallbackUrl(url: string) {
      callbackUrl = url;
    },
    /** Moves the stand-in's clock on: the customers' windows close as they would after that long. */
    advanceClock(ms: number) {
      clockOffsetMs += ms;
    },
    /** From now on, refuses this share of sends with code 613 and this share with a 500, drawn from a PRNG seeded with `seed`. */
    faultSends(options: { rate613: number; rate500: number; seed: number }) {
      randomFaults = { ...options, random: seededRandom(options.seed) };
    },
    faultCounts,
    /** The next sends are answered with these errors, in order (e.g. `{ status: 400, code: 613 }`, Meta's rate limit). */
    failNext(...errors: Array<{ status: number; code: number; message?: string }>) {
      failures = errors.map((error) => ({ message: `(#${error.code}) scripted failure`, ...error }));
    },
    close: server.close,
  };
}

export type InstagramStandIn = Awaited<ReturnType<typeof startInstagramStandIn>>;

/** mulberry32: a small seeded PRNG, so that a fault run can be repeated. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
