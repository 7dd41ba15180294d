import { invalidParam, missingParam } from './errors.js';
import type { Params } from './form.js';

/**
 * Declares one request parameter, in a compact notation:
 *   'str' | 'int' | 'bool' | 'date' | 'uri' | 'json' | 'list'
 *   'sid:XX'          a SID with that prefix
 *   'enum:a|b|c'      one of the values (case-insensitive, as Twilio)
 * A trailing '!' marks the parameter required.
 */
export type ParamDecl = string;
export type ParamDecls = Record<string, ParamDecl>;

const SID_RE = (prefix: string) => new RegExp(`^${prefix}[0-9a-fA-F]{32}$`);

export function validateParams(params: Params, decls: ParamDecls | undefined, where: 'body' | 'query'): void {
  if (!decls) return;
  for (const [name, declRaw] of Object.entries(decls)) {
    const required = declRaw.endsWith('!');
    const decl = required ? declRaw.slice(0, -1) : declRaw;
    const values = params.getAll(name);
    if (values.length === 0) {
      if (required) throw where === 'body' ? missingParam(name) : invalidParam(name, 'missing');
      continue;
    }
    for (const value of values) checkValue(name, decl, value);
  }
}

function checkValue(name: string, decl: string, value: string): void {
  if (decl.startsWith('sid:')) {
    if (!SID_RE(decl.slice(4)).test(value)) throw invalidParam(name, `'${value}' is not a valid ${decl.slice(4)} SID`);
    return;
  }
  if (decl.startsWith('enum:')) {
    const allowed = decl.slice(5).split('|');
    if (!allowed.some((a) => a.toLowerCase() === value.toLowerCase())) {
      throw invalidParam(name, `'${value}' is not one of ${allowed.join(', ')}`);
    }
    return;
  }
  switch (decl) {
    case 'int':
      if (!/^-?\d+$/.test(value)) throw invalidParam(name, `'${value}' is not an integer`);
      return;
    case 'bool':
      if (!/^(true|false)$/i.test(value)) throw invalidParam(name, `'${value}' is not a boolean`);
      return;
    case 'date':
      if (Number.isNaN(Date.parse(value))) throw invalidParam(name, `'${value}' is not an ISO 8601 date`);
      return;
    case 'uri':
      if (!isUrl(value)) throw invalidParam(name, `'${value}' is not a valid URL`);
      return;
    case 'json':
      try {
        const parsed: unknown = JSON.parse(value);
        if (parsed === null || typeof parsed !== 'object') throw new Error('not an object');
      } catch {
        throw invalidParam(name, 'must be a JSON object');
      }
      return;
    default:
      return; // 'str', 'list'
  }
}

export function isUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Attributes parameters must hold valid JSON (Twilio answers 400 otherwise). */
export function checkAttributes(params: Params, name = 'Attributes', maxBytes?: number): void {
  const v = params.get(name);
  if (v === undefined) return;
  try {
    JSON.parse(v);
  } catch {
    throw invalidParam(name, 'must be valid JSON');
  }
  if (maxBytes !== undefined && Buffer.byteLength(v) > maxBytes) {
    throw invalidParam(name, `exceeds ${maxBytes} bytes`);
  }
}
