import { readFileSync } from 'node:fs';

/** One instruction of a Dockerfile: its keyword in upper case and the rest of its (joined) lines. */
export interface DockerInstruction {
  keyword: string;
  args: string;
}

/** A build stage: its name (`AS <name>`, or its index) and its instructions after `FROM`. */
export interface DockerStage {
  name: string;
  instructions: DockerInstruction[];
}

/**
 * Reads a Dockerfile into its stages, enough for a test to perform the stages' steps without a
 * container engine: comments dropped, backslash continuations joined. Parser directives,
 * heredocs and escape characters other than the backslash are not supported.
 */
export function readDockerfile(path: string): DockerStage[] {
  const logicalLines: string[] = [];
  let pending = '';
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (/^\s*#/.test(line)) continue;
    const continued = /\\\s*$/.test(line);
    pending += `${continued ? line.replace(/\\\s*$/, '') : line} `;
    if (!continued) {
      if (pending.trim()) logicalLines.push(pending.trim());
      pending = '';
    }
  }
  const stages: DockerStage[] = [];
  for (const line of logicalLines) {
    const [, keyword = '', args = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const instruction = { keyword: keyword.toUpperCase(), args: args.replace(/\s+/g, ' ') };
    if (instruction.keyword === 'FROM') {
      const name = /\sAS\s+(\S+)$/i.exec(instruction.args)?.[1] ?? String(stages.length);
      stages.push({ name, instructions: [] });
    } else if (stages.length > 0) {
      stages.at(-1)!.instructions.push(instruction);
    }
  }
  return stages;
}

/** A COPY's source stage (none: the build context), its single source and its destination. */
export interface DockerCopy {
  from?: string;
  source: string;
  destination: string;
}

export function parseCopy(args: string): DockerCopy {
  const words = args.split(' ');
  const from = words[0]?.startsWith('--from=') ? words.shift()!.slice('--from='.length) : undefined;
  if (words.some((word) => word.startsWith('--'))) throw new Error(`COPY option not supported here: ${args}`);
  if (words.length !== 2) throw new Error(`COPY with one source and one destination expected: ${args}`);
  return { from, source: words[0]!, destination: words[1]! };
}

/** ENV's `KEY=value` pairs (unquoted values). */
export function parseEnv(args: string): Record<string, string> {
  return Object.fromEntries(
    args.split(' ').map((pair) => {
      const at = pair.indexOf('=');
      if (at < 1) throw new Error(`ENV KEY=value expected: ${pair}`);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
}

/** An instruction's exec form (`["node", "..."]`), as CMD and HEALTHCHECK's CMD give it. */
export function execForm(args: string): string[] {
  const json = args.slice(args.indexOf('['));
  const parsed: unknown = JSON.parse(json);
  if (!Array.isArray(parsed) || !parsed.every((word) => typeof word === 'string')) throw new Error(`exec form expected: ${args}`);
  return parsed;
}
