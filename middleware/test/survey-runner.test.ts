/**
 * The survey runner against a real (in-memory SQLite) store, a scripted crash between its two
 * steps (the stored survey changed, the outbox entries not yet queued) and an injected clock.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveChannels, type ChannelRuntime } from '../src/config/channels.js';
import { eraseCustomer } from '../src/retention/erasure.js';
import { createLogger } from '../src/observability/logger.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type { Session } from '../src/store/store.js';
import { createSurveyRunner } from '../src/survey/survey-runner.js';
import type { SurveySettings } from '../src/survey/survey-settings.js';

const SURVEY: SurveySettings = {
  questions: [
    { kind: 'rating', text: 'Rate us 1 to 5', insightsKey: 'conversation_measure_1' },
    { kind: 'text', text: 'Anything else?', insightsKey: 'conversation_attribute_1' },
  ],
  timeoutMs: 1000,
  thanksText: 'Thanks',
};
const channel = { channelType: 'chatapp', displayName: 'Chat App', adapter: 'webhook', maxMessageLength: 100, survey: SURVEY } as ChannelRuntime;
const session: Session = {
  id: 'S1',
  channelType: 'chatapp',
  customerId: 'c1',
  customerName: 'Ann',
  identity: 'id-c1',
  state: 'closed',
  resources: { conversationSid: 'CH1', agentJoinedAt: 5 },
  createdAt: 1,
};

function rig() {
  let clock = 10_000;
  const store = openSqliteStore({ path: ':memory:', now: () => clock });
  let crashes = 0;
  const written: Array<Record<string, number | string>> = [];
  const runner = createSurveyRunner({
    store,
    channels: new Map([['chatapp', channel]]),
    gateway: { writeTaskInsights: async (_sid, values) => (written.push(values), 'written') },
    logger: createLogger('silent'),
    // The crash: the next entry queued throws, as if the process died right after the survey was updated.
    queueEntry: (entry, dedupeKeys) => (crashes-- > 0 ? Promise.reject(new Error('killed')) : store.enqueue(entry, dedupeKeys)),
    now: () => clock,
  });
  /** Everything queued since the last look, each queue in order (one entry per ordering key is claimed at a time). */
  const queued = async () => {
    const payloads: Array<{ event?: { text: string }; survey?: { sessionId: string } }> = [];
    for (const queue of ['to-channel', 'to-flex'] as const) {
      for (let claimed = await store.claimDue(queue, clock, 100, 1); claimed.length > 0; claimed = await store.claimDue(queue, clock, 100, 1)) {
        for (const entry of claimed) {
          payloads.push(entry.payload as (typeof payloads)[number]);
          await store.complete(entry.id);
        }
      }
    }
    return payloads;
  };
  return {
    store,
    runner,
    written,
    queued,
    crashNext: () => (crashes = 1),
    advance: (ms: number) => (clock += ms),
  };
}

test('a crash after an answer is recorded and before the next question is queued: the retry queues it once, the answer is kept once', async () => {
  const { store, runner, written, queued, crashNext } = rig();
  await runner.start(session);
  await runner.start(session);
  assert.deepEqual(
    (await queued()).map((p) => p.event?.text),
    ['Rate us 1 to 5'],
    'a repeated start asks nothing twice',
  );

  crashNext();
  await assert.rejects(runner.takeAnswer(channel, 'c1', { externalId: 'm1', text: '4' }), /killed/);
  assert.deepEqual(
    (await queued()).map((p) => p.event?.text),
    [],
    'the crash left the next question unqueued',
  );
  // The outbox hands the same message again.
  assert.equal(await runner.takeAnswer(channel, 'c1', { externalId: 'm1', text: '4' }), 'answered');
  assert.equal(await runner.takeAnswer(channel, 'c1', { externalId: 'm1', text: '4' }), 'answered');
  assert.deepEqual(
    (await queued()).map((p) => p.event?.text),
    ['Anything else?'],
  );

  crashNext();
  await assert.rejects(runner.takeAnswer(channel, 'c1', { externalId: 'm2', text: 'Be quicker' }), /killed/);
  assert.equal(await runner.takeAnswer(channel, 'c1', { externalId: 'm2', text: 'Be quicker' }), 'answered');
  const last = await queued();
  assert.deepEqual(
    last.map((p) => p.event?.text ?? p.survey),
    ['Thanks', { sessionId: 'S1' }],
  );
  assert.deepEqual((await store.surveys.getSurvey('S1'))?.answers, [
    { question: 0, value: 4 },
    { question: 1, value: 'Be quicker' },
  ]);

  assert.deepEqual(await runner.writeAnswers('S1'), { kind: 'done' });
  assert.deepEqual(await runner.writeAnswers('S1'), { kind: 'done' });
  assert.deepEqual(written, [{ conversation_measure_1: 4, conversation_attribute_1: 'Be quicker' }], 'written once');
  assert.equal((await store.surveys.getSurvey('S1'))?.state, 'closed');
  assert.equal(await runner.takeAnswer(channel, 'c1', { externalId: 'm3', text: 'hello again' }), 'not_surveyed');
});

test('the sweep closes a survey past its timeout without a word to the customer, and requeues a write a crash kept from being queued', async () => {
  const { store, runner, written, queued, crashNext, advance } = rig();
  await runner.start(session);
  await runner.takeAnswer(channel, 'c1', { externalId: 'm1', text: '2' });
  await queued();
  advance(999);
  assert.deepEqual(await runner.sweep(10), { timedOut: 0, requeued: 0 });
  advance(1);
  crashNext();
  await assert.rejects(runner.sweep(10), /killed/);
  assert.equal((await store.surveys.getSurvey('S1'))?.state, 'writing', 'stopped asking; the write was not queued');
  assert.deepEqual(await runner.sweep(10), { timedOut: 0, requeued: 1 });
  assert.deepEqual(
    (await queued()).map((p) => p.event?.text ?? p.survey),
    [{ sessionId: 'S1' }],
    'the write, and no thanks: the customer is not told anything',
  );
  await runner.writeAnswers('S1');
  assert.deepEqual(written, [{ conversation_measure_1: 2 }]);
  assert.deepEqual(await runner.sweep(10), { timedOut: 0, requeued: 0 });
});

test('a session no agent joined is not surveyed: nothing stored, nothing asked', async () => {
  const { store, runner, queued } = rig();
  await runner.start({ ...session, resources: { conversationSid: 'CH1' } });
  assert.equal(await store.surveys.getSurvey(session.id), undefined);
  assert.deepEqual(await queued(), []);
});

test('a survey nobody answered closes with nothing to write', async () => {
  const { store, runner, written, queued, advance } = rig();
  await runner.start(session);
  await queued();
  advance(1000);
  assert.deepEqual(await runner.sweep(10), { timedOut: 1, requeued: 0 });
  assert.deepEqual(await queued(), []);
  assert.equal((await store.surveys.getSurvey('S1'))?.state, 'closed');
  assert.deepEqual(written, []);
});

test("an erasure deletes the customer's surveys, answers not yet written included", async () => {
  const { store, runner } = rig();
  await runner.start(session);
  await runner.takeAnswer(channel, 'c1', { externalId: 'm1', text: '5' });
  const report = await eraseCustomer({ store }, 'chatapp', 'c1');
  assert.equal(report.surveys, 1);
  assert.equal(await store.surveys.getSurvey('S1'), undefined);
});

test('channels.json: each answer kind under its Insights family, each key once', () => {
  const definition = (questions: SurveySettings['questions']) => ({
    channelType: 'chatapp',
    displayName: 'Chat App',
    color: '#000000',
    icon: '<svg></svg>',
    adapter: 'webchat' as const,
    survey: { questions },
  });
  const problems = (questions: SurveySettings['questions']) => resolveChannels([definition(questions)], {}).problems;
  assert.deepEqual(problems(SURVEY.questions), []);
  assert.deepEqual(resolveChannels([definition(SURVEY.questions)], {}).channels[0]?.survey, { questions: SURVEY.questions, timeoutMs: 300_000 });
  assert.match(problems([{ kind: 'rating', text: 'Rate', insightsKey: 'conversation_attribute_2' }]).join(), /conversation_measure_N/);
  assert.match(problems([{ kind: 'text', text: 'Why', insightsKey: 'conversation_measure_2' }]).join(), /conversation_attribute_N/);
  assert.match(
    problems([
      { kind: 'rating', text: 'Rate', insightsKey: 'conversation_measure_1' },
      { kind: 'yes_no', text: 'Solved?', insightsKey: 'conversation_measure_1' },
    ]).join(),
    /already used/,
  );
});
