import { Gauge, type Registry } from 'prom-client';
import type { DownloadLimits } from '../media/download-pool.js';

/** What an instance holds in memory that dashboards and alerts watch, read at each scrape. */
export interface RuntimeSources {
  /** Whether /readyz would answer 200 now. */
  isReady: () => Promise<boolean>;
  /** Web chat sockets open on this instance and WEBCHAT_MAX_SOCKETS; absent when it serves no web chat. */
  webchatSockets?: { open: () => number; limit: number };
  /** The attachment download pool: turns in use and waiters, and the limits of both. */
  downloads: { load: () => { active: number; waiting: number }; limits: DownloadLimits };
}

export function registerRuntimeGauges(registry: Registry, sources: RuntimeSources): void {
  const gauge = (name: string, help: string, labelNames: string[], collect: (this: Gauge) => void | Promise<void>) =>
    new Gauge({ name, help, labelNames, registers: [registry], collect });

  gauge('cc_ready', '1 while /readyz answers 200 (workers running, store answering), 0 otherwise', [], async function () {
    this.set((await sources.isReady()) ? 1 : 0);
  });
  gauge('cc_webchat_sockets', 'Web chat sockets open on this instance (WEBCHAT_MAX_SOCKETS caps them)', [], function () {
    this.set(sources.webchatSockets?.open() ?? 0);
  });
  gauge('cc_webchat_sockets_limit', 'WEBCHAT_MAX_SOCKETS: sockets one instance keeps open at most', [], function () {
    this.set(sources.webchatSockets?.limit ?? 0);
  });
  gauge(
    'cc_media_download_turns',
    'Attachment download turns in use (active) and attachments waiting for one (waiting), this instance',
    ['state'],
    function () {
      const load = sources.downloads.load();
      this.set({ state: 'active' }, load.active);
      this.set({ state: 'waiting' }, load.waiting);
    },
  );
  gauge(
    'cc_media_download_turns_limit',
    "The download pool's limits: MEDIA_DOWNLOAD_CONCURRENCY (active) and MEDIA_DOWNLOAD_QUEUE (waiting)",
    ['state'],
    function () {
      this.set({ state: 'active' }, sources.downloads.limits.total);
      this.set({ state: 'waiting' }, sources.downloads.limits.waiting);
    },
  );
}
