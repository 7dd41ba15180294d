/**
 * The small part of Liquid that Studio widget templates use: `{{ a.b.c }}` placeholders
 * (with optional `| filter`s, which are ignored). Unknown paths render as ''. Objects
 * render as JSON.
 */
export function renderTemplate(template: string, scope: Record<string, unknown>): string {
  return template.replace(/\{\{\s*([^}|]+?)\s*(\|[^}]*)?\}\}/g, (_all, path: string) => {
    const value = lookup(scope, path.trim());
    if (value === undefined || value === null) return '';
    if (typeof value === 'object') return JSON.stringify(value);
    return String(value);
  });
}

function lookup(scope: unknown, path: string): unknown {
  let cur: unknown = scope;
  for (const part of path.split('.')) {
    if (cur === null || cur === undefined) return undefined;
    if (typeof cur === 'string') {
      // Studio parses JSON-valued fields (e.g. Attributes) when a template reaches into them.
      try {
        cur = JSON.parse(cur);
      } catch {
        return undefined;
      }
    }
    if (typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}
