export type TaskRoute = { Params: { taskSid: string } };

/** A JSON body as an object; anything else reads as `{}`. */
export function jsonBody(raw: unknown): Record<string, unknown> {
  return raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
}
