/**
 * The middleware as a child process, killed with SIGKILL while a customer answers the post-chat
 * survey: after each restart the survey carries on where it was. No answer is lost, no
 * question is asked twice (a delivery may be repeated with the same event id, as any delivery
 * after a crash, and the channel drops it by id).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { postUntilAccepted, startRig, type Rig } from '@custom-channels/test-kit/fault-scenarios';
import { writeChannelsFile } from '@custom-channels/test-kit/channels-file';
import { eventually } from '@custom-channels/test-kit/poll';

const QUESTIONS = [
  { kind: 'rating' as const, text: 'How would you rate this chat? Reply 1 to 5.', insightsKey: 'conversation_measure_1' },
  { kind: 'yes_no' as const, text: 'Did we solve your problem? Reply yes or no.', insightsKey: 'conversation_measure_2' },
  { kind: 'text' as const, text: 'Anything we could do better?', insightsKey: 'conversation_attribute_1' },
];
const THANKS = 'Thank you!';

let rig: Rig;
before(async () => {
  rig = await startRig({
    seed: 29,
    // The task update is slow, so the last kill finds the answers' write in flight.
    faults: { http: [{ match: { product: 'taskrouter', method: 'POST' }, latencyMs: { min: 300, max: 600 } }] },
    env: {
      CHANNELS_FILE: writeChannelsFile({}, {}, { survey: { questions: QUESTIONS, timeoutSeconds: 600, thanksText: THANKS } }),
      SURVEY_SWEEP_INTERVAL_MS: '100',
    },
  });
});
after(() => rig.close());

const customer = { id: 'crash-survey-customer', name: 'Ray' };
const send = (id: string, text: string) => postUntilAccepted(rig, JSON.stringify({ id, from: customer, text }), Date.now() + 30_000);
const surveyDeliveries = () =>
  rig.channel.received.filter((d) => d.body.author === 'survey').map((d) => ({ id: String(d.body.id), text: String(d.body.text) }));
/** Each survey message once per event id, in the order first delivered. */
const distinctSurveyMessages = () => [...new Map(surveyDeliveries().map((d) => [d.id, d.text])).values()];

test('kill -9 while the customer answers the survey: every answer reaches the task, no question is asked twice', { timeout: 180_000 }, async () => {
  await send('crash-1', 'Hello');
  const task = await eventually(async () => (await rig.control.tasks()).find((t) => t.attributes.from === customer.name), 'the task', 30_000);
  await rig.control.accept(task.sid);
  // Webhooks arrive in any order: the survey needs the agent's joining on record before the close.
  await rig.sandbox.idle();
  await rig.control.complete(task.sid);
  await eventually(() => distinctSurveyMessages().length === 1, 'the first question', 30_000);

  await send('crash-2', '2');
  await rig.middleware.crashAndRestart();
  await eventually(() => distinctSurveyMessages().length === 2, 'the second question, after the restart', 60_000);

  await send('crash-3', 'no');
  await eventually(() => distinctSurveyMessages().length === 3, 'the third question', 30_000);
  await send('crash-4', 'Answer faster');
  await rig.middleware.crashAndRestart();

  const conversations = await eventually(
    async () => {
      const attributes = (await rig.control.tasks()).find((t) => t.sid === task.sid)?.attributes;
      const written = attributes?.conversations as Record<string, unknown> | undefined;
      return written?.conversation_attribute_1 !== undefined && written;
    },
    'the answers in the task, after the second restart',
    60_000,
  );
  assert.equal(conversations.conversation_measure_1, 2);
  assert.equal(conversations.conversation_measure_2, 0);
  assert.equal(conversations.conversation_attribute_1, 'Answer faster');
  await eventually(() => distinctSurveyMessages().length === 4, 'the thanks', 30_000);
  assert.deepEqual(distinctSurveyMessages(), [...QUESTIONS.map((q) => q.text), THANKS], 'each question once, in order, then the thanks');
  // No answer went to Flex as a new chat.
  assert.equal((await rig.control.tasks()).filter((t) => t.attributes.from === customer.name).length, 1);
});
