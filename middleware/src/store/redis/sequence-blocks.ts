/**
 * Numbers for outbox ids from the sequence several homes share, taken a block at a time: one
 * INCRBY per block instead of one INCR (a round trip before every queued entry) per entry.
 * Numbers stay unique and grow within an instance; across instances they interleave by block,
 * and a stopped instance leaves the rest of its block unused.
 */
export class SequenceBlocks {
  private next = 0;
  private end = 0;
  private refilling: Promise<void> | undefined;

  /** `advance(count)` adds `count` to the shared sequence and answers its new value. */
  constructor(
    private readonly advance: (count: number) => Promise<number>,
    private readonly blockSize: number,
  ) {}

  async take(): Promise<number> {
    while (this.next >= this.end) {
      this.refilling ??= this.refill();
      await this.refilling;
    }
    return this.next++;
  }

  private async refill(): Promise<void> {
    try {
      const last = await this.advance(this.blockSize);
      this.next = last - this.blockSize + 1;
      this.end = last + 1;
    } finally {
      this.refilling = undefined;
    }
  }
}
