import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { safeErrorMessage } from '@custom-channels/logging';
import { loadEnvFile } from './env-file.js';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** Arguments an admin command line cannot run with: it exits with 2 and prints its usage. */
export class UsageError extends Error {}

export type CommandLine = (argv: string[], env: Record<string, string | undefined>, out: (line: string) => void) => Promise<number>;

/** parseArgs' own messages advise on positional arguments, quoted unevenly: one line saying what is wrong instead. */
export function commandLineProblem(error: Error & { code?: string }): string {
  const option = /'(-[^' ]+)/.exec(error.message)?.[1];
  if (option && error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${option}`;
  if (option && error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (error.message.includes('does not take an argument')) return `${option} takes no value`;
    return `${option} needs a value (write one that starts with "-" as ${option}=-value)`;
  }
  return error.message.split('\n')[0]!;
}

/** Positionals and the given options, plus the `--help` (`-h`) every command line takes. */
export function parseCommandLine<Options extends OptionsConfig>(argv: string[], options: Options) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: { ...options, help: { type: 'boolean', short: 'h', default: false } } as const,
  });
}

/**
 * Runs the command line when node was started on the module (`import.meta.url`), from the
 * sources under tsx or from the compiled build, loading the env file first.
 */
export async function runWhenMain(moduleUrl: string, usage: string, commandLine: CommandLine): Promise<void> {
  if (process.argv[1] === undefined || resolve(process.argv[1]) !== fileURLToPath(moduleUrl)) return;
  try {
    loadEnvFile();
    process.exitCode = await commandLine(process.argv.slice(2), process.env, (line) => process.stdout.write(`${line}\n`));
  } catch (error) {
    const isParseError = (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') === true;
    const isUsage = isParseError || error instanceof UsageError;
    const problem = isParseError ? commandLineProblem(error as Error) : (error as Error).message;
    process.stderr.write(`${isUsage ? `${problem}\n${usage}` : safeErrorMessage(error)}\n`);
    process.exitCode = isUsage ? 2 : 1;
  }
}
