import { readFileSync } from 'fs';
import type { ChannelsConfig } from './types';
import { validateChannelsConfig } from './validation/validate';

export class ChannelsFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file} is not a valid channels file:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ChannelsFileError';
  }
}

/** Reads and validates a channels.json file; throws ChannelsFileError listing every problem. */
export function loadChannelsFile(file: string): ChannelsConfig {
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ChannelsFileError(file, [(error as Error).message]);
  }
  const validation = validateChannelsConfig(document);
  if (!validation.ok) throw new ChannelsFileError(file, validation.problems);
  return validation.value;
}
