/**
 * The reference every CPU figure is a ratio to: message posts sent straight from the `twilio`
 * library, as it ships, to the stand-in, N concurrent customers each posting its next message
 * as soon as the last is accepted, from this process alone on the measured core.
 */
import { createTwilioClient, type TwilioClient } from '@custom-channels/middleware';
import { DEFAULT_ACCOUNT_SID as ACCOUNT_SID, DEFAULT_AUTH_TOKEN as AUTH_TOKEN } from '@custom-channels/twilio-sandbox';
import { startSandboxProcess } from '../src/sandbox-process.js';
import type { Pinning } from './pinning.js';
import { openCustomerConversations } from './customer-conversations.js';
import type { CeilingRun } from './report.js';

// The library's first seconds of posting cost up to four times its steady CPU per post (its
// code being compiled); the middleware is measured warm, so the library is too.
export const WARM_UP_MS = 4000;

export interface CeilingSettings {
  /** Where the conversations' scoped webhook points: the stand-in does the same work per message as for the middleware. */
  sinkUrl: string;
  customers: number;
  seconds: number;
  pinning: Pinning;
  log: (line: string) => void;
}

export async function runCeiling(settings: CeilingSettings, when: string): Promise<CeilingRun> {
  const { log, pinning } = settings;
  log(`\n== ceiling ${when}: the twilio library straight to the stand-in`);
  const standIn = await startSandboxProcess();
  try {
    // The reference is the library as it ships, on its own HTTP client.
    const client: TwilioClient = createTwilioClient({
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      apiBaseUrl: standIn.url,
      transport: 'library',
    });
    const conversations = (await openCustomerConversations(client, settings.customers, settings.sinkUrl)).map(({ sid }) => sid);
    let n = 0;
    /** Every customer posts its next message as soon as the last is accepted, until `until`; the posts made. */
    const postUntil = async (until: number): Promise<number> => {
      let posted = 0;
      await Promise.all(
        conversations.map(async (sid, customer) => {
          while (performance.now() < until) {
            n += 1;
            await client.conversations.v1.conversations(sid).messages.create({
              author: `chatapp_${customer}`,
              body: `message ${n}`,
              attributes: JSON.stringify({ externalId: `ceiling-${customer}-${n}` }),
              xTwilioWebhookEnabled: 'true',
            });
            posted += 1;
          }
        }),
      );
      return posted;
    };
    pinning.toMeasuredCore(process.pid);
    await postUntil(performance.now() + WARM_UP_MS);
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const posted = await postUntil(started + settings.seconds * 1000);
    const rate = posted / ((performance.now() - started) / 1000);
    const cpu = process.cpuUsage(cpuBefore);
    const cpuPerPostUs = (cpu.user + cpu.system) / posted;
    log(`ceiling: ${posted} messages at ${rate.toFixed(0)}/s; the library's CPU per post ${cpuPerPostUs.toFixed(0)} µs`);
    return { rate, cpuPerPostUs };
  } finally {
    pinning.toOtherCore(process.pid);
    await standIn.close();
  }
}
