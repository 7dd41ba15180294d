import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { safeErrorMessage } from '@custom-channels/logging';
import { loadEnvFile } from './env-file.js';
import { PACKAGE_DIR } from './load-config.js';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** Arguments an admin command line cannot run with: it exits with 2 and prints its usage. */
export class UsageError extends Error {}

export type CommandLine = (
  argv: string[],
  env: Record<string, string | undefined>,
  out: (line: string) => void,
) => Promise<number>;

/** Positionals and the given options, plus the `--help` (`-h`) every command line takes. */
export function parseCommandLine<Options extends OptionsConfig>(argv: string[], options: Options) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: { ...options, help: { type: 'boolean', short: 'h', default: false } } as const,
  });
}

/** Runs the command line when node was started on `file` (a path inside the package), loading the env file first. */
export async function runWhenMain(file: string, usage: string, commandLine: CommandLine): Promise<void> {
  if (process.argv[1] === undefined || resolve(process.argv[1]) !== resolve(PACKAGE_DIR, file)) return;
  try {
    loadEnvFile();
    process.exitCode = await commandLine(process.argv.slice(2), process.env, (line) =>
      process.stdout.write(`${line}\n`),
    );
  } catch (error) {
    const isUsage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    process.stderr.write(`${isUsage ? `${(error as Error).message}\n${usage}` : safeErrorMessage(error)}\n`);
    process.exitCode = isUsage ? 2 : 1;
  }
}
