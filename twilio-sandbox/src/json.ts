/** Any JSON value, for templates to read; text that is not JSON reads as `{}`. */
export function jsonValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}

/** Parses stored attributes leniently: anything that is not a JSON object or array reads as `{}`. */
export function jsonAttributes(text: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Parses stored attributes strictly as an object: anything else (an array too) reads as `{}`. */
export function jsonObject(text: string): Record<string, unknown> {
  const v = jsonAttributes(text);
  return Array.isArray(v) ? {} : v;
}
