/**
 * How many bytes each visitor may send per window (an hour), counted in this process. A
 * fixed window that starts with the visitor's first message in it.
 *
 * At most `maxVisitors` windows are kept: a sender who mints a new visitor for every message
 * would otherwise grow the map for a whole window. Past the cap the oldest window goes first;
 * it is the one closest to its end anyway.
 */
export class VisitorByteQuota {
  private readonly windows = new Map<string, { startedAt: number; used: number }>();

  constructor(
    private readonly bytesPerWindow: number,
    private readonly windowMs = 3_600_000,
    private readonly now: () => number = Date.now,
    private readonly maxVisitors = 100_000,
  ) {}

  /** Counts `bytes` against the visitor's window; when it does not fit, counts nothing and says when it will. */
  take(key: string, bytes: number): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const now = this.now();
    this.forgetEnded(now);
    let window = this.windows.get(key);
    if (!window || now - window.startedAt >= this.windowMs) window = this.startWindow(key, now);
    if (window.used + bytes > this.bytesPerWindow) {
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((window.startedAt + this.windowMs - now) / 1000)) };
    }
    window.used += bytes;
    return { ok: true };
  }

  /** Gives back what `take` counted for a message that was not stored after all (a duplicate, a failure). */
  giveBack(key: string, bytes: number): void {
    const window = this.windows.get(key);
    if (window) window.used = Math.max(0, window.used - bytes);
  }

  /** How many visitors' windows are held. */
  get size(): number {
    return this.windows.size;
  }

  /** Re-inserted on every new window, so the map's order is the order windows started in. */
  private startWindow(key: string, now: number): { startedAt: number; used: number } {
    this.windows.delete(key);
    for (const oldest of this.windows.keys()) {
      if (this.windows.size < this.maxVisitors) break;
      this.windows.delete(oldest);
    }
    const window = { startedAt: now, used: 0 };
    this.windows.set(key, window);
    return window;
  }

  private sweptAt = 0;
  private forgetEnded(now: number): void {
    if (now - this.sweptAt < this.windowMs) return;
    this.sweptAt = now;
    for (const [key, window] of this.windows) if (now - window.startedAt >= this.windowMs) this.windows.delete(key);
  }
}
