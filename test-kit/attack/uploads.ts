/**
 * Must-fix 4, uploads: a visitor token made the way the widget gets one (`hello` on the
 * WebSocket, the token in `welcome`), then 1 MiB uploads into the operator's Twilio media
 * store that no message will ever name. Measured: how many were stored (201) and how many the
 * per-visitor quota refused (429); the target is that the default quota holds exactly.
 */
import { randomBytes } from 'node:crypto';
import { DEFAULT_UPLOAD_LIMITS } from '@custom-channels/middleware';
import { WebchatClient } from '../src/webchat-client.js';
import type { Outcome } from './measure.js';
import { startAttackRig, WEBCHAT } from './rig.js';

export interface UploadsOptions {
  uploads: number;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** 1 MiB that starts as a PNG does, so a check of the first bytes lets it through to the quota. */
const FILE = Buffer.concat([PNG_SIGNATURE, randomBytes(1024 * 1024 - PNG_SIGNATURE.length)]);

export async function uploadsScenario(options: UploadsOptions): Promise<Outcome> {
  const rig = await startAttackRig();
  try {
    const client = await WebchatClient.open(rig.url, rig.url);
    const { welcome } = await client.hello();
    await client.close();
    const statuses = new Map<number, number>();
    for (let index = 0; index < options.uploads; index += 1) {
      const response = await fetch(`${rig.url}/webchat/uploads?channel=${WEBCHAT}&filename=upload-${index}.png`, {
        method: 'POST',
        headers: { 'content-type': 'image/png', authorization: `Bearer ${welcome.token}`, origin: rig.url },
        body: FILE,
      });
      await response.arrayBuffer();
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    }
    const accepted = statuses.get(201) ?? 0;
    const refused = statuses.get(429) ?? 0;
    const quota = DEFAULT_UPLOAD_LIMITS.visitorUploads;
    const other = [...statuses].filter(([status]) => status !== 201 && status !== 429).map(([status, count]) => `${count} × ${status}`);
    return {
      scenario: 'uploads',
      measured: `${accepted} of ${options.uploads} uploads of 1 MiB stored (201), ${refused} refused (429)${other.length > 0 ? `, ${other.join(', ')}` : ''}`,
      target: `at most the per-visitor quota (${quota} an hour) stored, every other refused (429)`,
      pass: accepted <= quota && accepted + refused === options.uploads,
    };
  } finally {
    await rig.close();
  }
}
