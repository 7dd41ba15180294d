/** What a store hands out for a payload that is not JSON (a damaged row), so one entry cannot stop its whole queue. */
export class UnparseablePayload {
  toJSON(): { unparseable: true } {
    return { unparseable: true };
  }
}

/** An outbox payload as stored (JSON text), parsed; never throws. */
export function parseStoredPayload(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return new UnparseablePayload();
  }
}
