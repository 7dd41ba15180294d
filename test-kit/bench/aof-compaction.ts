import { Redis } from 'ioredis';

export interface RedisNode {
  host: string;
  port: number;
}

/** What compacting took: the longest node's wait, and how much append-only file it rewrote. */
export interface Compaction {
  waitedMs: number;
  aofBytesBefore: number;
}

const field = (info: string, name: string): number => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(info)?.[1] ?? 0);

/**
 * Rewrites each server's append-only file (BGREWRITEAOF) and waits for the rewrite to finish.
 * Redis rewrites on its own once the file has grown 64 MB past its last rewrite; the bench's
 * opening phase alone writes about that much on one server, so without this the forked
 * rewrite lands in whichever measured phase crosses the threshold, on the core the stand-in and
 * the load generator share. Called before each measured phase, it keeps that housekeeping out
 * of the phase; the report prints what it cost.
 */
export async function compactAppendOnlyFiles(nodes: RedisNode[], timeoutMs = 60_000): Promise<Compaction> {
  const started = performance.now();
  const sizes = await Promise.all(
    nodes.map(async (node) => {
      const redis = new Redis(node);
      try {
        const before = field(await redis.info('persistence'), 'aof_current_size');
        await untilNoRewrite(redis, timeoutMs);
        await redis.bgrewriteaof();
        await untilNoRewrite(redis, timeoutMs);
        return before;
      } finally {
        redis.disconnect();
      }
    }),
  );
  return { waitedMs: performance.now() - started, aofBytesBefore: sizes.reduce((sum, size) => sum + size, 0) };
}

async function untilNoRewrite(redis: Redis, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const info = await redis.info('persistence');
    if (field(info, 'aof_rewrite_in_progress') === 0 && field(info, 'aof_rewrite_scheduled') === 0) return;
    if (Date.now() > deadline) throw new Error(`an append-only file rewrite on port ${redis.options.port} took over ${timeoutMs} ms`);
    await new Promise((done) => setTimeout(done, 20));
  }
}
