/**
 * What happens to uploads after the endpoint: the cleanup deletes from Twilio the files no
 * message named in time (and only those), and an erasure deletes the visitor's files, or,
 * without Twilio access, hands them to the cleanup no longer linked to the visitor.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { McsClient } from '../../src/flex/mcs-client.js';
import { FailureError, transient } from '../../src/outbox/failure.js';
import { createLogger } from '../../src/observability/logger.js';
import { eraseCustomer, TwilioErasureError } from '../../src/retention/erasure.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { cleanUpUploads } from '../../src/webchat/upload-cleanup.js';
import { DEFAULT_UPLOAD_LIMITS } from '../../src/webchat/upload-limits.js';

const SERVICE = `IS${'1'.repeat(32)}`;
const sid = (n: number) => `ME${String(n).padStart(32, '0')}`;
const logger = createLogger('silent');

/** A Media Content Service that records deletes; `gone` answers 404, `failing` fails. */
function fakeMcs(options: { gone?: string[]; failing?: string[] } = {}) {
  const removed: string[] = [];
  const mcs: Pick<McsClient, 'remove'> = {
    async remove(_serviceSid, mediaSid) {
      if (options.failing?.includes(mediaSid)) throw new FailureError(transient('the Media Content Service answered 503'));
      removed.push(mediaSid);
      return !options.gone?.includes(mediaSid);
    },
  };
  return { mcs, removed };
}

async function seed(store: Store, uploads: Array<{ id: string; visitor: string; media?: number; used?: boolean }>): Promise<void> {
  for (const upload of uploads) {
    assert.deepEqual(await store.admitUpload({ id: upload.id, channelType: 'webchat', customerId: upload.visitor, size: 10 }, DEFAULT_UPLOAD_LIMITS), {
      admitted: true,
    });
    if (upload.media === undefined) continue;
    await store.recordUploadMedia(upload.id, SERVICE, sid(upload.media));
    if (upload.used) await store.markUploadsUsed('webchat', upload.visitor, [sid(upload.media)]);
  }
}

test('the cleanup deletes files no message named within the time, and only those; 404 counts as gone', async () => {
  let clock = 1_000_000;
  const store = openSqliteStore({ path: ':memory:', now: () => clock });
  await seed(store, [
    { id: 'unused', visitor: 'v1', media: 1 },
    { id: 'used', visitor: 'v1', media: 2, used: true },
    { id: 'gone', visitor: 'v2', media: 3 },
    { id: 'never-stored', visitor: 'v2' },
  ]);
  clock += 30_000;
  await seed(store, [{ id: 'young', visitor: 'v3', media: 4 }]);
  const { mcs, removed } = fakeMcs({ gone: [sid(3)] });
  const pass = () => cleanUpUploads({ records: store, mcs, limits: { unusedAfterMs: 60_000 }, usedRecordMs: 3_600_000, logger, now: () => clock });

  assert.deepEqual(await pass(), { deleted: 0, alreadyGone: 0, failed: 0, forgotten: 0 }, 'nothing is old enough yet');
  clock += 30_001;
  assert.deepEqual(await pass(), { deleted: 1, alreadyGone: 1, failed: 0, forgotten: 0 });
  assert.deepEqual([...removed].sort(), [sid(1), sid(3)]);
  assert.deepEqual(
    (await store.listCustomerUploads('webchat', 'v1')).map((one) => one.id),
    ['used'],
  );
  assert.deepEqual(await store.listCustomerUploads('webchat', 'v2'), [], 'an upload that never reached Twilio is forgotten');
  clock += 30_000;
  assert.equal((await pass()).deleted, 1, 'the younger one in its turn');
  clock += 3_600_000;
  assert.equal((await pass()).forgotten, 1, "a used file's record goes after the transcript's retention; the file stays with its message");
  assert.deepEqual(removed.slice(2), [sid(4)]);
  await store.close();
});

test('a file Twilio fails to delete keeps its record for the next pass', async () => {
  let clock = 1_000_000;
  const store = openSqliteStore({ path: ':memory:', now: () => clock });
  await seed(store, [{ id: 'a', visitor: 'v1', media: 1 }]);
  clock += 60_001;
  const failing = fakeMcs({ failing: [sid(1)] });
  const pass = (mcs: Pick<McsClient, 'remove'>) =>
    cleanUpUploads({ records: store, mcs, limits: { unusedAfterMs: 60_000 }, usedRecordMs: 3_600_000, logger, now: () => clock });
  assert.equal((await pass(failing.mcs)).failed, 1);
  assert.equal((await store.listCustomerUploads('webchat', 'v1')).length, 1);
  const working = fakeMcs();
  assert.equal((await pass(working.mcs)).deleted, 1);
  assert.deepEqual(working.removed, [sid(1)]);
  await store.close();
});

test("erasure deletes the visitor's uploaded files, sent or not, and no one else's", async () => {
  const store = openSqliteStore({ path: ':memory:' });
  await seed(store, [
    { id: 'a', visitor: 'v1', media: 1, used: true },
    { id: 'b', visitor: 'v1', media: 2 },
    { id: 'c', visitor: 'v2', media: 3 },
  ]);
  const { mcs, removed } = fakeMcs({ gone: [sid(2)] });
  const report = await eraseCustomer({ store, mcs }, 'webchat', 'v1');
  assert.deepEqual(report.uploads, { deleted: 1, alreadyGone: 1, leftToCleanup: 0 });
  assert.deepEqual(removed, [sid(1), sid(2)]);
  assert.deepEqual(await store.listCustomerUploads('webchat', 'v1'), []);
  assert.equal((await store.listCustomerUploads('webchat', 'v2')).length, 1);
  assert.equal((await eraseCustomer({ store, mcs }, 'webchat', 'nobody')).uploads, undefined, 'no uploads, no line in the report');
  await store.close();
});

test('erasure that cannot delete a file fails and keeps what it could not delete, so trying again finds it', async () => {
  const store = openSqliteStore({ path: ':memory:' });
  await seed(store, [{ id: 'a', visitor: 'v1', media: 1, used: true }]);
  await store.insertSession({
    id: 's1',
    channelType: 'webchat',
    customerId: 'v1',
    customerName: 'Ann',
    identity: 'webchat_v1',
    state: 'creating',
    resources: {},
    createdAt: 1,
  });
  await assert.rejects(eraseCustomer({ store, mcs: fakeMcs({ failing: [sid(1)] }).mcs }, 'webchat', 'v1'), TwilioErasureError);
  assert.equal((await store.listCustomerUploads('webchat', 'v1')).length, 1);
  assert.equal((await store.listCustomerSessions('webchat', 'v1')).length, 1, "the customer's data was kept");
  await store.close();
});

test('without Twilio access (npm run forget without --twilio), the files go to the cleanup, no longer linked to the visitor', async () => {
  let clock = Date.UTC(2026, 0, 1);
  const store = openSqliteStore({ path: ':memory:', now: () => clock });
  await seed(store, [
    { id: 'a', visitor: 'v1', media: 1, used: true },
    { id: 'b', visitor: 'v1', media: 2 },
  ]);
  assert.deepEqual((await eraseCustomer({ store }, 'webchat', 'v1')).uploads, { deleted: 0, alreadyGone: 0, leftToCleanup: 2 });
  assert.deepEqual(await store.listCustomerUploads('webchat', 'v1'), []);
  const { mcs, removed } = fakeMcs();
  clock += 1;
  const counts = await cleanUpUploads({ records: store, mcs, limits: { unusedAfterMs: 3_600_000 }, usedRecordMs: 3_600_000, logger, now: () => clock });
  assert.equal(counts.deleted, 2, 'due at the next pass, however recent');
  assert.deepEqual(removed, [sid(1), sid(2)]);
  await store.close();
});
