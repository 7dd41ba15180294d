/** Twilio's REST error body: `{"code","message","more_info","status"}`. */
export interface TwilioErrorBody {
  code: number;
  message: string;
  more_info: string;
  status: number;
}

export class TwilioApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toBody(): TwilioErrorBody {
    return errorBody(this.status, this.code, this.message);
  }
}

export function errorBody(status: number, code: number, message: string): TwilioErrorBody {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

export const notFound = (path: string): TwilioApiError => new TwilioApiError(404, 20404, `The requested resource ${path} was not found`);

export const missingParam = (name: string): TwilioApiError => new TwilioApiError(400, 20001, `Missing required parameter ${name} in the post body`);

export const invalidParam = (name: string, detail?: string): TwilioApiError =>
  new TwilioApiError(400, 20001, `Invalid parameter ${name}${detail ? `: ${detail}` : ''}`);

export const authError = (): TwilioApiError => new TwilioApiError(401, 20003, 'Authenticate', { 'WWW-Authenticate': 'Basic realm="Twilio API"' });

export const tooManyRequests = (retryAfterSeconds: number): TwilioApiError =>
  new TwilioApiError(429, 20429, 'Too Many Requests', { 'Retry-After': String(retryAfterSeconds) });

export const serverError = (status: 500 | 503): TwilioApiError =>
  status === 500 ? new TwilioApiError(500, 20500, 'Internal Server Error') : new TwilioApiError(503, 20503, 'Service Unavailable');

export const conflict = (code: number, message: string): TwilioApiError => new TwilioApiError(409, code, message);
