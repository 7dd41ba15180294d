/** Outbox numbers from the shared sequence, a block per round trip. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SequenceBlocks } from '../../src/store/redis/sequence-blocks.js';

/** A shared sequence in memory, counting the round trips made to it; `failNext` makes the next one fail. */
function sharedSequence() {
  const state = { value: 0, trips: 0, failNext: false };
  const advance = async (count: number) => {
    state.trips += 1;
    await Promise.resolve();
    if (state.failNext) {
      state.failNext = false;
      throw new Error('the server went away');
    }
    state.value += count;
    return state.value;
  };
  return { state, advance };
}

test('callers at once share one round trip per block, and every number is unique and growing', async () => {
  const { state, advance } = sharedSequence();
  const blocks = new SequenceBlocks(advance, 4);
  const numbers = await Promise.all(Array.from({ length: 10 }, () => blocks.take()));
  assert.deepEqual(numbers, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.equal(state.trips, 3);
});

test("two instances' blocks never overlap", async () => {
  const { advance } = sharedSequence();
  const first = new SequenceBlocks(advance, 3);
  const second = new SequenceBlocks(advance, 3);
  const numbers = [await first.take(), await second.take(), await first.take(), await second.take()];
  assert.deepEqual(numbers, [1, 4, 2, 5]);
});

test('a failed round trip fails its callers, and the next caller tries again', async () => {
  const { state, advance } = sharedSequence();
  const blocks = new SequenceBlocks(advance, 5);
  state.failNext = true;
  await assert.rejects(blocks.take(), /the server went away/);
  assert.equal(await blocks.take(), 1);
});
