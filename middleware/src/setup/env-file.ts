import { chmod, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Merges variables into a dotenv file without disturbing anything else in it: comments,
 * blank lines, unknown keys, their order and the line endings stay as they were.
 */

export interface EnvEdit {
  /** Variables to set (added at the end when absent, replaced in place when present). */
  set: Record<string, string>;
  /** Variables to comment out, because they would contradict the ones set. */
  disable: Array<{ key: string; reason: string }>;
}

export type EnvChange =
  | { action: 'add'; key: string; value: string }
  | { action: 'update'; key: string; from: string; value: string }
  | { action: 'disable'; key: string; from: string; reason: string };

export const SETUP_HEADER = '# Written by npm run setup (custom channels)';

const ASSIGNMENT = /^(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_]*)(\s*=\s*)(.*)$/;

interface ParsedValue {
  value: string;
  /** Whatever followed the value (an inline comment), kept when the value is replaced. */
  trailer: string;
}

export function parseValue(raw: string): ParsedValue {
  const quote = raw[0];
  if (quote === '"' || quote === "'" || quote === '`') {
    const end = raw.indexOf(quote, 1);
    if (end > 0) return { value: raw.slice(1, end), trailer: raw.slice(end + 1) };
  }
  const comment = raw.search(/\s#/);
  return comment >= 0 ? { value: raw.slice(0, comment).trim(), trailer: raw.slice(comment) } : { value: raw.trim(), trailer: '' };
}

/** Reads the active (uncommented) variables of a dotenv text; the last assignment wins. */
export function readEnv(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const match = ASSIGNMENT.exec(line);
    if (match) values[match[2]!] = parseValue(match[4]!).value;
  }
  return values;
}

/** The new text and what changed; the text is the same string when nothing changed. */
export function mergeEnv(text: string, edit: EnvEdit): { text: string; changes: EnvChange[] } {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text === '' ? [] : text.split(/\r?\n/);
  const hadFinalNewline = text.endsWith('\n');
  if (hadFinalNewline) lines.pop(); // the empty string after the final newline
  const changes: EnvChange[] = [];
  const seen = new Set<string>();
  const disabled = new Map(edit.disable.map(({ key, reason }) => [key, reason]));

  const out = lines.map((line) => {
    const match = ASSIGNMENT.exec(line);
    if (!match) return line;
    const [, prefix, key, equals, raw] = match as unknown as [string, string, string, string, string];
    const { value, trailer } = parseValue(raw);
    if (key in edit.set) {
      seen.add(key);
      const wanted = edit.set[key]!;
      if (value === wanted) return line;
      changes.push({ action: 'update', key, from: value, value: wanted });
      return `${prefix}${key}${equals}${wanted}${trailer}`;
    }
    const reason = disabled.get(key);
    if (reason !== undefined) {
      changes.push({ action: 'disable', key, from: value, reason });
      return `# ${line.trimStart()}  # disabled by npm run setup: ${reason}`;
    }
    return line;
  });

  const added = Object.entries(edit.set).filter(([key]) => !seen.has(key));
  if (added.length > 0) {
    if (!out.includes(SETUP_HEADER)) {
      if (out.length > 0 && out[out.length - 1]!.trim() !== '') out.push('');
      out.push(SETUP_HEADER);
    }
    for (const [key, value] of added) {
      out.push(`${key}=${value}`);
      changes.push({ action: 'add', key, value });
    }
  }
  if (changes.length === 0) return { text, changes };
  return { text: out.join(eol) + (hadFinalNewline || added.length > 0 ? eol : ''), changes };
}

/** Reads the file; a missing file reads as empty. */
export async function readEnvFile(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Replaces the file atomically (a reader never sees half a file), keeping its permissions;
 * a new file is readable by its owner only, as it will hold secrets.
 */
export async function writeEnvFile(path: string, text: string): Promise<void> {
  let mode = 0o600;
  try {
    mode = (await stat(path)).mode & 0o777;
  } catch {
    // a new file
  }
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  await writeFile(temporary, text, { mode });
  await chmod(temporary, mode);
  await rename(temporary, path);
}
