import assert from 'node:assert/strict';
import { FailureError, type Failure } from '../../src/outbox/failure.js';

/** The Failure `promise` rejects with; fails the test when it resolves or rejects with anything else. */
export async function refusal(promise: Promise<unknown>): Promise<Failure & { retryable: boolean; throttled: boolean }> {
  const error = await promise.then(
    () => assert.fail('expected a refusal'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof FailureError, `a FailureError, got ${String(error)}`);
  return { ...error.failure, retryable: error.failure.kind !== 'permanent', throttled: error.failure.kind === 'throttled' };
}
