/**
 * Errors as logs may carry them: an allow-list of fields, never the error whole. An HTTP
 * client's error holds the request config (the Authorization header, the form body with
 * names and message text), an ioredis error the command's arguments (keys and values), a
 * JSON error the text it could not parse. Only the fields below are kept, and messages are
 * cut to what carries no data.
 */
// A type alias rather than an interface, so that fastify's logger options accept it.
export type SerializedError = {
  type: string;
  message: string;
  /** Twilio's numeric error code, or a system/library code such as ECONNREFUSED. */
  code?: string | number;
  /** The HTTP status of the answer that failed. */
  status?: number;
  /** Twilio's link to the error's documentation. */
  moreInfo?: string;
  errno?: number;
  syscall?: string;
  /** The first line rebuilt from the redacted message, then the frames. */
  stack: string;
  cause?: SerializedError;
  /** The first few errors of an AggregateError (e.g. one per address tried). */
  errors?: SerializedError[];
};

const MAX_MESSAGE_LENGTH = 300;
/** A declared-safe message may list several problems (each line of a configuration check). */
const MAX_SAFE_MESSAGE_LENGTH = 2000;

/**
 * What an error may add to the allow-list: a message its thrower composed only from parts that
 * are neither personal data nor secrets (a file name, a channel type, a field name), logged as is.
 */
export interface DeclaresSafeMessage {
  readonly safeMessage: string;
}
const MAX_DEPTH = 3;
const MAX_AGGREGATED = 5;

/** Anything quoted: JSON.parse, fs and many libraries quote the input they refuse. */
const QUOTED = /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g;
/** user:password@ in a URL. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi;
/** Long runs without spaces: secrets, base64 credentials and signatures look like this. */
const LONG_TOKEN = /[A-Za-z0-9+/=_-]{20,}/g;
/** What a long run may be and still be logged: a Twilio SID, or a word such as ERR_SOCKET_CONNECTION_TIMEOUT. */
const HARMLESS_TOKEN = /^(?:[A-Z]{2}[0-9a-f]{32}|[A-Za-z_]+)$/;

/** A path (`/v1/Conversations/CH...`) is judged segment by segment; anything else as a whole. */
function isHarmless(token: string): boolean {
  const parts = token.startsWith('/') ? token.split('/') : [token];
  return parts.every((part) => part.length < 20 || HARMLESS_TOKEN.test(part));
}

/** A message reduced to what carries no data: nothing quoted, no credentials, no opaque tokens, short. */
export function redactMessage(message: string): string {
  const redacted = message
    .replace(URL_CREDENTIALS, '$1[redacted]@')
    .replace(QUOTED, '"[redacted]"')
    .replace(LONG_TOKEN, (token) => (isHarmless(token) ? token : '[redacted]'))
    .replace(/\s+/g, ' ')
    .trim();
  return redacted.length > MAX_MESSAGE_LENGTH ? `${redacted.slice(0, MAX_MESSAGE_LENGTH)}…` : redacted;
}

/** The error's message, safe to log or to keep as a failure reason. */
export function safeErrorMessage(error: unknown): string {
  return serializeError(error).message;
}

export function serializeError(error: unknown): SerializedError {
  return serialize(error, 0);
}

function serialize(error: unknown, depth: number): SerializedError {
  if (!isErrorLike(error)) {
    const message = '[a thrown non-error value, not logged]';
    return { type: typeof error, message, stack: message };
  }
  const type = typeName(error);
  const message = messageOf(error, type);
  const fields = error as unknown as Record<string, unknown>;
  const status = numberOr(fields.status) ?? numberOr((fields.response as { status?: unknown } | undefined)?.status) ?? numberOr(fields.statusCode);
  const serialized: SerializedError = {
    type,
    message,
    ...codeOf(fields.code),
    ...(status !== undefined ? { status } : {}),
    ...(typeof fields.moreInfo === 'string' && /^https:\/\/www\.twilio\.com\//.test(fields.moreInfo) ? { moreInfo: fields.moreInfo } : {}),
    ...(numberOr(fields.errno) !== undefined ? { errno: numberOr(fields.errno) } : {}),
    ...(typeof fields.syscall === 'string' && /^\w{1,32}$/.test(fields.syscall) ? { syscall: fields.syscall } : {}),
    stack: stackOf(error, type, message),
  };
  if (depth < MAX_DEPTH && fields.cause !== undefined) serialized.cause = serialize(fields.cause, depth + 1);
  if (depth < MAX_DEPTH && Array.isArray(fields.errors)) {
    serialized.errors = fields.errors.slice(0, MAX_AGGREGATED).map((inner) => serialize(inner, depth + 1));
  }
  return serialized;
}

function isErrorLike(value: unknown): value is Error {
  return (
    value instanceof Error || (typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string' && 'stack' in value)
  );
}

function typeName(error: Error): string {
  const name = error.constructor?.name && error.constructor.name !== 'Object' ? error.constructor.name : error.name;
  return typeof name === 'string' && /^[\w$.]{1,64}$/.test(name) ? name : 'Error';
}

function messageOf(error: Error, type: string): string {
  // A Redis error reply may quote keys, values or script lines: its first word (ERR,
  // WRONGTYPE, NOSCRIPT, READONLY...) says what happened.
  if (type === 'ReplyError') return `${/^[A-Z]{2,20}\b/.exec(error.message)?.[0] ?? 'ERR'} (reply text not logged)`;
  const { safeMessage } = error as Partial<DeclaresSafeMessage>;
  if (typeof safeMessage === 'string') return safeMessage.length > MAX_SAFE_MESSAGE_LENGTH ? `${safeMessage.slice(0, MAX_SAFE_MESSAGE_LENGTH)}…` : safeMessage;
  return redactMessage(error.message);
}

function codeOf(code: unknown): { code?: string | number } {
  if (typeof code === 'number' && Number.isFinite(code)) return { code };
  if (typeof code === 'string' && /^[A-Z0-9_]{1,48}$/i.test(code)) return { code };
  return {};
}

function numberOr(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** The stack's frames under a first line rebuilt from the redacted message (the original repeats the message). */
function stackOf(error: Error, type: string, message: string): string {
  const frames = typeof error.stack === 'string' ? error.stack.split('\n').filter((line) => /^\s+at /.test(line)) : [];
  return [`${type}: ${message}`, ...frames.slice(0, 20)].join('\n');
}
