import { join } from 'node:path';
import { startDemo, type Demo } from '../src/demo.js';

/** The demo on free ports, its database in `dir`, its logs silent: as the tests run it. */
export function startTestDemo(dir: string): Promise<Demo> {
  return startDemo({
    middlewarePort: 0,
    agentPort: 0,
    sandboxPort: 0,
    telegramPort: 0,
    linePort: 0,
    instagramPort: 0,
    databasePath: join(dir, 'demo.sqlite'),
    logLevel: 'silent',
  });
}
