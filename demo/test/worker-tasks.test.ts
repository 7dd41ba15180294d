import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TaskView } from '../src/flex-preview/flex-task.js';
import { incomingTransfer, signedInWorker, tasksFor } from '../src/agent-flex/worker-tasks.js';

/** Which tasks each worker's agent view shows, and the transfer Flex is told of. */

const ALICE = { sid: `WK${'a'.repeat(32)}`, friendlyName: 'alice' };
const BOB = { sid: `WK${'b'.repeat(32)}`, friendlyName: 'bob' };
const CAROL = { sid: `WK${'c'.repeat(32)}`, friendlyName: 'carol' };
const SUPPORT = { sid: `WQ${'5'.repeat(32)}`, friendlyName: 'Support' };
const directory = { workers: [ALICE, BOB, CAROL], queues: [SUPPORT] };

function view(sid: string, assignmentStatus: TaskView['assignmentStatus'], extra: Partial<TaskView> = {}, attributes: Record<string, unknown> = {}): TaskView {
  return { sid, assignmentStatus, attributes, taskChannelUniqueName: 'chat', dateCreated: '', dateUpdated: '', ...extra };
}

const toBob = (sid: string, status: TaskView['assignmentStatus'], mode = 'COLD') =>
  view(
    sid,
    status,
    { transferredFrom: 'first' },
    { transferTargetType: 'worker', transferTargetSid: BOB.sid, transferMeta: { originalWorker: ALICE.sid, mode } },
  );
const toSupport = view(
  'to-support',
  'pending',
  { transferredFrom: 'first' },
  { transferTargetType: 'queue', transferTargetSid: SUPPORT.sid, transferMeta: { originalWorker: ALICE.sid, mode: 'WARM' } },
);

test('?worker= names a worker by name or SID; without it the first worker; an unknown name is nobody', () => {
  assert.equal(signedInWorker('', directory.workers), ALICE);
  assert.equal(signedInWorker('?worker=bob', directory.workers), BOB);
  assert.equal(signedInWorker(`?worker=${CAROL.sid}`, directory.workers), CAROL);
  assert.equal(signedInWorker('?worker=mallory', directory.workers), undefined);
});

test('a pending task is offered to every worker; an accepted one only to its worker; a canceled one to nobody', () => {
  const views = [
    view('new', 'pending'),
    view('alices', 'assigned', { workerSid: ALICE.sid }),
    view('bobs', 'wrapping', { workerSid: BOB.sid }),
    view('gone', 'canceled', { workerSid: ALICE.sid }),
  ];
  const sids = (workerSid: string) => tasksFor(views, workerSid, new Set()).map((task) => task.sid);
  assert.deepEqual(sids(ALICE.sid), ['new', 'alices']);
  assert.deepEqual(sids(BOB.sid), ['new', 'bobs']);
  assert.deepEqual(sids(CAROL.sid), ['new']);
});

test('a transfer to a worker is offered to that worker only, one to a queue to all but the agent who transferred it; a rejected task leaves that list', () => {
  const views = [view('first', 'wrapping', { workerSid: ALICE.sid }), toBob('to-bob', 'pending'), toSupport];
  const sids = (workerSid: string, rejected: string[] = []) => tasksFor(views, workerSid, new Set(rejected)).map((task) => task.sid);
  assert.deepEqual(sids(ALICE.sid), ['first']);
  assert.deepEqual(sids(BOB.sid), ['to-bob', 'to-support']);
  assert.deepEqual(sids(CAROL.sid), ['to-support']);
  assert.deepEqual(sids(CAROL.sid, ['to-support']), []);
});

test("Flex's incoming transfer names the agent it came from and the mode, while the transfer is pending", () => {
  assert.deepEqual(incomingTransfer(toBob('to-bob', 'pending', 'WARM'), directory), {
    mode: 'WARM',
    type: 'WORKER',
    to: BOB.sid,
    workerSid: ALICE.sid,
    worker: { fullName: 'alice' },
    status: 'INITIATED',
  });
  assert.equal(incomingTransfer(toSupport, directory)?.type, 'QUEUE');
  assert.equal(incomingTransfer(toBob('to-bob', 'assigned'), directory), undefined, 'accepted: no longer an incoming transfer');
  assert.equal(incomingTransfer(view('new', 'pending'), directory), undefined);
});

test("a worker's completed and canceled tasks leave the list, as in Flex; live and wrapping ones stay", () => {
  const views = [
    view('live', 'assigned', { workerSid: ALICE.sid }),
    view('wrapping', 'wrapping', { workerSid: ALICE.sid }),
    view('done', 'completed', { workerSid: ALICE.sid }),
    view('gone', 'canceled', { workerSid: ALICE.sid }),
  ];
  assert.deepEqual(
    tasksFor(views, ALICE.sid, new Set()).map((task) => task.sid),
    ['live', 'wrapping'],
  );
});
