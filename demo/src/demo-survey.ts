import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The post-chat survey the demo's web chat runs, as channels.json holds one: a rating, a yes/no
 * and a free text, each written to the task under the Flex Insights key it names.
 */
export const DEMO_SURVEY = {
  questions: [
    { kind: 'rating', text: 'Before you go: how would you rate this chat? Reply 1 to 5.', insightsKey: 'conversation_measure_1' },
    { kind: 'yes_no', text: 'Did we solve your problem? Reply yes or no.', insightsKey: 'conversation_measure_2' },
    { kind: 'text', text: 'Anything we could do better?', insightsKey: 'conversation_attribute_1' },
  ],
  timeoutSeconds: 300,
  thanksText: 'Thank you for your answers!',
} as const;

/** The channel the demo surveys: the web chat page is where a visitor ends a chat and stays to answer. */
export const DEMO_SURVEYED_CHANNEL = 'webchat';

/**
 * The demo's channels file: `source` (the repository's channels.json, left as it is) with the
 * survey on the web chat, written into `dir`. The middleware reads it as it reads any channels.json.
 */
export function writeDemoChannelsFile(source: string, dir: string): string {
  const file = JSON.parse(readFileSync(source, 'utf8')) as { channels: Array<{ channelType: string; survey?: unknown }> };
  const channel = file.channels.find((each) => each.channelType === DEMO_SURVEYED_CHANNEL);
  if (!channel) throw new Error(`The demo surveys the ${DEMO_SURVEYED_CHANNEL} channel: ${source} has none (the repository's file holds one)`);
  channel.survey ??= DEMO_SURVEY;
  mkdirSync(dir, { recursive: true });
  const target = join(dir, 'channels.demo.json');
  writeFileSync(target, `${JSON.stringify(file, null, 2)}\n`);
  return target;
}
