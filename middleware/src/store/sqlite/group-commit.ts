import type Database from 'better-sqlite3';

export interface GroupCommit {
  /** Runs `write` in the next group's transaction; resolves once that transaction committed. */
  write<T>(write: () => T): Promise<T>;
  /** Commits what is waiting now (before the connection closes). */
  flush(): void;
}

interface Waiting {
  write: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * The writes asked for in one turn of the event loop, committed in one transaction: under
 * load one commit carries many enqueues and completions instead of one each. A write
 * resolves only after the commit that holds it, so nothing is acknowledged before it is
 * written; writes run in the order asked; one that throws rolls back to its own savepoint
 * and rejects alone.
 */
export function groupCommit(db: Database.Database): GroupCommit {
  let waiting: Waiting[] = [];
  // Called inside the group's transaction, better-sqlite3 makes this a savepoint.
  const inSavepoint = db.transaction((write: () => unknown) => write());
  const commitGroup = db.transaction((group: Waiting[]): Outcome[] =>
    group.map((item) => {
      try {
        return { ok: true, value: inSavepoint(item.write) };
      } catch (error) {
        return { ok: false, error };
      }
    }),
  );

  const flush = () => {
    const group = waiting;
    waiting = [];
    if (group.length === 0) return;
    let outcomes: Outcome[];
    try {
      // The write lock up front: a deferred transaction that reads first fails at once on another's lock.
      outcomes = commitGroup.immediate(group);
    } catch (error) {
      for (const item of group) item.reject(error);
      return;
    }
    outcomes.forEach((outcome, index) => {
      const item = group[index]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  };

  return {
    write<T>(write: () => T): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        if (waiting.length === 0) setImmediate(flush);
        waiting.push({ write, resolve: resolve as (value: unknown) => void, reject });
      });
    },
    flush,
  };
}
