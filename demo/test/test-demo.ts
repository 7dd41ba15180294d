import { join } from 'node:path';
import { startDemo, type Demo } from '../src/demo.js';

/**
 * The demo on free ports, its database in `dir`, its logs silent: as the tests run it.
 * Without the bot and the survey unless asked: most tests want the customer's first message
 * to open a task, and nothing after the agent ends the chat.
 */
export function startTestDemo(dir: string, options: { bot?: boolean; survey?: boolean } = {}): Promise<Demo> {
  return startDemo({
    bot: options.bot ?? false,
    survey: options.survey ?? false,
    middlewarePort: 0,
    agentPort: 0,
    sandboxPort: 0,
    telegramPort: 0,
    linePort: 0,
    viberPort: 0,
    instagramPort: 0,
    databasePath: join(dir, 'demo.sqlite'),
    logLevel: 'silent',
  });
}
