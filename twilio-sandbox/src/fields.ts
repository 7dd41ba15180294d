import type { Params } from './form.js';

type TextField<T> = { [K in keyof T]: string extends T[K] ? K : never }[keyof T];

/** An update: copies each text parameter the request names onto its field, e.g. `{ Attributes: 'attributes' }`. */
export function assignText<T>(b: Params, target: T, fields: Record<string, TextField<T>>): void {
  for (const [param, field] of Object.entries(fields)) {
    if (b.has(param)) target[field] = b.get(param)! as T[TextField<T>];
  }
}
