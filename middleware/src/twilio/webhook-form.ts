/** A webhook's form parameters as Twilio sent (and signed) them: a repeated key keeps every value, in order. */
export type WebhookParams = Readonly<Record<string, string | readonly string[]>>;

/**
 * Twilio's webhooks carry a few dozen parameters; a 32 KB chat message grows when
 * form-encoded, hence the body limit. Anything beyond is refused before it costs a signature check.
 */
export const DEFAULT_TWILIO_WEBHOOK_LIMITS = { bodyBytes: 512 * 1024, params: 100 };

/** A body with more parameters than allowed: answered 400, before any of it is parsed. */
export class TooManyParamsError extends Error {
  constructor(readonly limit: number) {
    super(`the form has more than ${limit} parameters`);
    this.name = 'TooManyParamsError';
  }
}

/** Parses a form-encoded body, keeping every value of a repeated key; throws TooManyParamsError past `maxParams`. */
export function parseWebhookForm(body: string, maxParams = DEFAULT_TWILIO_WEBHOOK_LIMITS.params): WebhookParams {
  // Counted on the raw text first: parsing a huge form is the cost being avoided.
  let separators = 0;
  for (let at = body.indexOf('&'); at !== -1; at = body.indexOf('&', at + 1)) {
    if (++separators >= maxParams) throw new TooManyParamsError(maxParams);
  }
  const values = new Map<string, string[]>();
  for (const [name, value] of new URLSearchParams(body)) {
    const list = values.get(name);
    if (list) list.push(value);
    else values.set(name, [value]);
  }
  return Object.fromEntries([...values].map(([name, list]) => [name, list.length === 1 ? list[0]! : list]));
}
