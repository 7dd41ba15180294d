/** A webhook's form parameters as Twilio sent (and signed) them: a repeated key keeps every value, in order. */
export type WebhookParams = Readonly<Record<string, string | readonly string[]>>;

/** Parses a form-encoded body, keeping every value of a repeated key. */
export function parseWebhookForm(body: string): WebhookParams {
  const values = new Map<string, string[]>();
  for (const [name, value] of new URLSearchParams(body)) {
    const list = values.get(name);
    if (list) list.push(value);
    else values.set(name, [value]);
  }
  return Object.fromEntries([...values].map(([name, list]) => [name, list.length === 1 ? list[0]! : list]));
}
