const LOOKUP = /\{\{\s*([\w.]+)\s*\}\}/g;
const UNSAFE_SEGMENTS = new Set(['__proto__', 'prototype', 'constructor']);

/**
 * Fills `{{path.to.value}}` lookups from the context, as Handlebars would, but returns
 * plain text for React to render: configured texts and task attributes never become
 * markup. A lookup that finds no text, number or boolean gives an empty string.
 */
export function fillTemplate(template: string, context: Record<string, unknown>): string {
  return template.replace(LOOKUP, (_, path: string) => textAt(context, path.split('.')));
}

function textAt(context: Record<string, unknown>, segments: string[]): string {
  let value: unknown = context;
  for (const segment of segments) {
    if (UNSAFE_SEGMENTS.has(segment) || typeof value !== 'object' || value === null) return '';
    value = (value as Record<string, unknown>)[segment];
  }
  return ['string', 'number', 'boolean'].includes(typeof value) ? String(value) : '';
}
