import type { OutboxQueue } from '../store.js';

/**
 * Per queue, the homes where this instance's own writes made an entry due since it last
 * claimed there: a new head queued, a completed or parked head with another entry behind it.
 * A claim after a nudge looks in those alone, one script each, instead of one per home
 * (sixteen on a cluster), and none when nothing was touched.
 */
export class TouchedHomes {
  private readonly byQueue = new Map<OutboxQueue, Set<number>>();

  touch(queue: OutboxQueue, homes: Iterable<number>): void {
    let touched = this.byQueue.get(queue);
    if (!touched) this.byQueue.set(queue, (touched = new Set()));
    for (const home of homes) touched.add(home);
  }

  /** Hands the queue's touched homes over and forgets them: the claim touches again those it could not empty. */
  take(queue: OutboxQueue): number[] {
    const touched = this.byQueue.get(queue);
    if (!touched || touched.size === 0) return [];
    const homes = [...touched];
    touched.clear();
    return homes;
  }
}
