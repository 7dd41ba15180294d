import { redactMessage, safeErrorMessage } from '@custom-channels/logging';

/**
 * Errors the setup command shows as one readable line (no stack trace), with what to do.
 * Anything else that escapes is a bug, and is still shown as one line.
 */
export class SetupError extends Error {
  constructor(
    message: string,
    /** 2 = the command line or environment is wrong; 1 = Twilio refused or something is missing there. */
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
    this.name = 'SetupError';
  }
}

export class UsageError extends SetupError {
  constructor(
    message: string,
    /** The command line itself could not be read: the usage follows the message. */
    readonly showUsage = false,
  ) {
    super(message, 2);
    this.name = 'UsageError';
  }
}

interface TwilioLikeError {
  status?: unknown;
  code?: unknown;
  message?: unknown;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);

/**
 * Turns a failed Twilio call into a SetupError naming what was being done and what to do.
 * `doing` reads like "listing Studio flows". Never includes credentials or request data.
 */
export function explainTwilioError(error: unknown, doing: string): SetupError {
  if (error instanceof SetupError) return error;
  const { status, code, message } = (error ?? {}) as TwilioLikeError;
  const twilioCode = typeof code === 'number' ? code : undefined;
  const detail = typeof message === 'string' && message ? `: ${redactMessage(message)}` : '';
  if (status === 401 || twilioCode === 20003) {
    return new SetupError(
      `Twilio rejected the credentials (HTTP 401, error 20003) while ${doing}. ` +
        'Check TWILIO_ACCOUNT_SID with TWILIO_AUTH_TOKEN (or TWILIO_API_KEY_SID with TWILIO_API_KEY_SECRET): they must belong to the same Flex account; API keys must be created in that account.',
    );
  }
  if (status === 403) {
    return new SetupError(
      `Twilio refused permission (HTTP 403${twilioCode ? `, error ${twilioCode}` : ''}) while ${doing}${detail}. ` +
        "Use the Flex account's auth token, or an API key of that account that may use Studio, Flex, TaskRouter and Conversations (a Standard or Main key, not a Restricted one without those permissions).",
    );
  }
  if (status === 429) {
    return new SetupError(
      `Twilio is rate limiting this account (HTTP 429) while ${doing}. Wait a minute and run the command again; it picks up where it stopped.`,
    );
  }
  if (typeof status === 'number' && status >= 500) {
    return new SetupError(`Twilio failed (HTTP ${status}) while ${doing}${detail}. Run the command again; it picks up where it stopped.`);
  }
  if (typeof status === 'number') {
    return new SetupError(`Twilio refused the request (HTTP ${status}${twilioCode ? `, error ${twilioCode}` : ''}) while ${doing}${detail}.`);
  }
  if (typeof code === 'string' && NETWORK_CODES.has(code)) {
    return new SetupError(
      `Could not reach Twilio (${code}) while ${doing}. Check the network connection, and TWILIO_API_BASE_URL if it is set (it should be unset in production).`,
    );
  }
  return new SetupError(`Unexpected failure while ${doing}: ${safeErrorMessage(error)}`);
}

/** Whether a Twilio call failed because the resource does not exist. */
export function isNotFound(error: unknown): boolean {
  const { status, code } = (error ?? {}) as TwilioLikeError;
  return status === 404 || code === 20404;
}

export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
