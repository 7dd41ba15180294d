import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MiddlewareConfig } from '../config/config.js';
import type { FlexGateway } from '../flex/flex-gateway.js';
import { createAttachmentPoster } from './attachment-poster.js';
import { createMcsClient } from './mcs-client.js';
import { DEFAULT_DOWNLOAD_TIMEOUTS, downloadAttachment } from './safe-download.js';
import { openSpool } from './spool.js';

/** The attachment steps, wired from the configuration: the spool, the Media Content Service, the guarded download. */
export function createMediaSteps(config: MiddlewareConfig, gateway: FlexGateway) {
  const media = config.media;
  const spool = openSpool(media?.spoolDir ?? join(tmpdir(), 'custom-channels-media-spool'));
  const timeouts = media ? { connectMs: media.connectTimeoutMs, totalMs: media.downloadTimeoutMs } : DEFAULT_DOWNLOAD_TIMEOUTS;
  const mcs = createMcsClient(config.twilio);
  return {
    mcs,
    spool,
    postAttachment: createAttachmentPoster({ gateway, mcs, spool, download: (request) => downloadAttachment(request, { timeouts }) }),
  };
}
