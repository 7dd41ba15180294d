import { readFileSync } from 'fs';
import type { ChannelsConfig } from './types';
import { validateChannelsConfig } from './validation/validate';

export class ChannelsFileError extends Error {
  /**
   * The message as logs may carry it (the logging package's allow-list): a channels file holds
   * the operator's channel definitions, no secret and no personal data, so its name and the
   * channel types and fields a problem names are what the reader needs to fix it.
   */
  readonly safeMessage: string;

  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file} is not a valid channels file:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ChannelsFileError';
    this.safeMessage = this.message;
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
