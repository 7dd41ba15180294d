import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A short random hex string: every value searched for carries one, so a hit is never a coincidence. */
export function randomHex(bytes = 6): string {
  return randomBytes(bytes).toString('hex');
}

export interface Hit {
  label: string;
  source: string;
  line: number;
  /** The log message of the line (pino's `msg`), when it is a JSON log line. */
  msg?: string;
}

/**
 * The secrets and personal values a run used, by label. A value is searched for as it is and
 * in every form output could carry it in: escaped inside JSON, URL- or form-encoded (an HTTP
 * body), and its random core alone.
 */
export class SensitiveValues {
  private readonly values: Array<{ label: string; value: string; core?: string }> = [];

  add(label: string, value: string, core?: string): string {
    this.values.push({ label, value, core });
    return value;
  }

  /**
   * A customer with a distinctive id, name and first message text, with characters that are
   * escaped or encoded on the way. No double quote in the name: the Studio flow's Send to
   * Flex attributes are a JSON template that Liquid fills in without escaping.
   */
  customer(label: string): { id: string; name: string; text: string } {
    const [id, name, text] = [randomHex(), randomHex(), randomHex()];
    return {
      id: this.add(`${label} id`, `cust-${id}`, id),
      name: this.add(`${label} name`, `Zoë ${name} O'Hara`, name),
      text: this.add(`${label} text`, `Hello & "bonjour",\n${text}?`, text),
    };
  }

  /** A message text (an agent's reply, a customer's next message). */
  text(label: string): string {
    const core = randomHex();
    return this.add(label, `Reply for you ${core}, see "${core}"`, core);
  }

  get count(): number {
    return this.values.length;
  }

  private forms(): Array<{ label: string; form: string }> {
    return this.values.flatMap(({ label, value, core }) => {
      const forms = new Set([value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value), new URLSearchParams({ v: value }).toString().slice(2)]);
      if (core) forms.add(core);
      return [...forms].map((form) => ({ label, form }));
    });
  }

  /** Every line of every output holding any form of any value. */
  search(outputs: Array<{ source: string; text: string }>): { hits: Hit[]; lines: number; forms: number } {
    const forms = this.forms();
    const hits: Hit[] = [];
    let lines = 0;
    for (const { source, text } of outputs) {
      text.split('\n').forEach((line, index) => {
        lines += 1;
        const labels = new Set(forms.filter(({ form }) => line.includes(form)).map(({ label }) => label));
        for (const label of labels) hits.push({ label, source, line: index + 1, msg: logMessage(line) });
      });
    }
    return { hits, lines, forms: forms.length };
  }
}

/** Everything the processes wrote, by source (`<run> middleware stdout`, `<run> npm run setup`, ...), unabridged. */
export class CapturedOutput {
  private readonly chunks = new Map<string, Buffer[]>();

  sink(source: string): (chunk: Buffer, stream: 'stdout' | 'stderr') => void {
    return (chunk, stream) => this.add(`${source} ${stream}`, chunk);
  }

  add(source: string, chunk: Buffer | string): void {
    const list = this.chunks.get(source) ?? [];
    list.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    this.chunks.set(source, list);
  }

  /** Writes each output to a file of its own in a new temp folder, for diagnosis; returns the folder. */
  save(): string {
    const dir = mkdtempSync(join(tmpdir(), 'cc-leak-outputs-'));
    this.all().forEach(({ source, text }, index) =>
      writeFileSync(join(dir, `${String(index).padStart(2, '0')} ${source.replace(/[^\w,.-]+/g, ' ').trim()}.log`), text),
    );
    return dir;
  }

  all(): Array<{ source: string; text: string }> {
    return [...this.chunks].map(([source, chunks]) => ({ source, text: Buffer.concat(chunks).toString('utf8') }));
  }
}

function logMessage(line: string): string | undefined {
  try {
    const { msg } = JSON.parse(line) as { msg?: unknown };
    return typeof msg === 'string' ? msg : undefined;
  } catch {
    return undefined;
  }
}
