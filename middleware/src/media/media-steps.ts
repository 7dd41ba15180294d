import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MiddlewareConfig } from '../config/config.js';
import type { FlexGateway } from '../flex/flex-gateway.js';
import type { Logger } from '../observability/logger.js';
import type { Store } from '../store/store.js';
import { createAgentMediaDelivery } from './agent-media-delivery.js';
import { createAttachmentPoster } from './attachment-poster.js';
import { createMediaLinks, DEFAULT_LINK_TTL_SECONDS, mediaLinkKey } from './media-links.js';
import { createRefusedAttachmentNotifier } from './refused-attachment-notice.js';
import { createMcsClient } from '../flex/mcs-client.js';
import type { PlatformFileLocator } from './platform-files.js';
import { createDownloadPool, DEFAULT_DOWNLOAD_LIMITS } from './download-pool.js';
import { DEFAULT_DOWNLOAD_TIMEOUTS, downloadAttachment } from './safe-download.js';
import { openSpool } from './spool.js';

/**
 * Attachments both ways, wired from the configuration: the spool, the Media Content Service,
 * the guarded download and its pool, the signed links to agents' files and the notice of refused ones.
 */
export function createMediaSteps(
  config: MiddlewareConfig,
  deps: { gateway: FlexGateway; store: Store; logger: Logger; locatePlatformFile?: PlatformFileLocator },
) {
  const { gateway, store, logger, locatePlatformFile } = deps;
  const media = config.media;
  const spool = openSpool(media?.spoolDir ?? join(tmpdir(), 'custom-channels-media-spool'));
  const timeouts = media ? { connectMs: media.connectTimeoutMs, totalMs: media.downloadTimeoutMs } : DEFAULT_DOWNLOAD_TIMEOUTS;
  const mcs = createMcsClient(config.twilio);
  const links = createMediaLinks({
    publicBaseUrl: config.publicBaseUrl,
    key: mediaLinkKey(config.customerIdentitySecret),
    ttlSeconds: media?.linkTtlSeconds ?? DEFAULT_LINK_TTL_SECONDS,
  });
  const downloadLimits = media?.downloads ?? DEFAULT_DOWNLOAD_LIMITS;
  const pool = createDownloadPool(downloadLimits);
  return {
    mcs,
    spool,
    links,
    /** The download pool's turns in use and waiters, with its limits (for metrics). */
    downloads: { load: pool.load, limits: downloadLimits },
    prepareDelivery: createAgentMediaDelivery({ links, notifyRefused: createRefusedAttachmentNotifier({ store, gateway, logger }) }),
    postAttachment: createAttachmentPoster({
      gateway,
      mcs,
      spool,
      pool,
      download: (request) => downloadAttachment(request, { timeouts }),
      locatePlatformFile,
    }),
  };
}

export type MediaSteps = ReturnType<typeof createMediaSteps>;
