/**
 * Twilio's request parameters: form-encoded (body) or query string, PascalCase names,
 * dotted names for nested values (`Configuration.Filters`), repeated keys for arrays.
 */
export class Params {
  private readonly values = new Map<string, string[]>();

  constructor(source?: string | URLSearchParams) {
    const search = typeof source === 'string' ? new URLSearchParams(source) : (source ?? new URLSearchParams());
    for (const [key, value] of search) {
      const list = this.values.get(key);
      if (list) list.push(value);
      else this.values.set(key, [value]);
    }
  }

  static fromUrl(url: string): Params {
    const q = url.indexOf('?');
    return new Params(q >= 0 ? url.slice(q + 1) : '');
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  /** The first value, or undefined. */
  get(name: string): string | undefined {
    return this.values.get(name)?.[0];
  }

  getAll(name: string): string[] {
    return this.values.get(name) ?? [];
  }

  names(): string[] {
    return [...this.values.keys()];
  }

  int(name: string): number | undefined {
    const v = this.get(name);
    return v === undefined ? undefined : Number.parseInt(v, 10);
  }

  bool(name: string): boolean | undefined {
    const v = this.get(name);
    return v === undefined ? undefined : v.toLowerCase() === 'true';
  }

  /** A date-valued parameter (already validated as a date). */
  date(name: string): Date | undefined {
    const v = this.get(name);
    return v === undefined ? undefined : new Date(v);
  }

  /** A JSON-valued parameter (already validated as JSON). */
  json<T = unknown>(name: string): T | undefined {
    const v = this.get(name);
    return v === undefined ? undefined : (JSON.parse(v) as T);
  }
}

/** Encodes a flat parameter record as a form body (arrays as repeated keys). */
export function encodeForm(params: Record<string, string | string[]>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (Array.isArray(value)) for (const v of value) search.append(key, v);
    else search.append(key, value);
  }
  return search.toString();
}
