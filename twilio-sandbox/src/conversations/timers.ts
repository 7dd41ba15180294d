import { invalidParam } from '../errors.js';
import type { Params } from '../form.js';
import type { Conversation } from '../state.js';

/** ISO 8601 duration (P1D, PT5M, PT30S, P1DT2H) → milliseconds; undefined if malformed. */
export function parseDuration(value: string): number | undefined {
  const m = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(value);
  if (!m || value === 'P' || value.endsWith('T')) return undefined;
  const [, w, d, h, min, s] = m;
  return ((Number(w ?? 0) * 7 + Number(d ?? 0)) * 86400 + Number(h ?? 0) * 3600 + Number(min ?? 0) * 60 + Number(s ?? 0)) * 1000;
}

/** Reads `Timers.Inactive` / `Timers.Closed` into the conversation's timers; an empty value removes one. */
export function readTimers(body: Params, c: { timers: Conversation['timers'] }): void {
  for (const [param, key] of [
    ['Timers.Inactive', 'inactive'],
    ['Timers.Closed', 'closed'],
  ] as const) {
    const v = body.get(param);
    if (v === undefined) continue;
    if (v === '') {
      delete c.timers[key];
      continue;
    }
    if (parseDuration(v) === undefined) throw invalidParam(param, `'${v}' is not an ISO 8601 duration`);
    c.timers[key] = v;
  }
}
