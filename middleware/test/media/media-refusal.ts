import assert from 'node:assert/strict';
import { MediaStepError } from '../../src/media/media-errors.js';

/** The MediaStepError `promise` rejects with; fails the test when it resolves or rejects with anything else. */
export async function refusal(promise: Promise<unknown>): Promise<MediaStepError> {
  const error = await promise.then(
    () => assert.fail('expected a refusal'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof MediaStepError, `a MediaStepError, got ${String(error)}`);
  return error;
}
