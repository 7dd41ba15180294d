import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeWithHarness, type Harness } from '@custom-channels/test-kit/harness';
import { deliveriesOfType, sendFirstMessage, taskFor } from '@custom-channels/test-kit/flex-checks';
import { eventually } from '@custom-channels/test-kit/poll';
import type { SurveySettings } from '../src/survey/survey-settings.js';

const SURVEY: Omit<SurveySettings, 'timeoutMs'> = {
  questions: [
    { kind: 'rating', text: 'How would you rate this chat? Reply 1 to 5.', insightsKey: 'conversation_measure_1' },
    { kind: 'yes_no', text: 'Did we solve your problem? Reply yes or no.', insightsKey: 'conversation_measure_2' },
    { kind: 'text', text: 'Anything we could do better?', insightsKey: 'conversation_attribute_1' },
  ],
  thanksText: 'Thank you for your answers!',
};

/** The chatapp channel with the survey above; the sweep runs often so a short timeout is seen soon. */
const withSurvey = (timeoutMs: number) => ({
  routing: 'interactions' as const,
  configure: <Config extends { channels: Array<{ channelType: string }> }>(config: Config): Config => ({
    ...config,
    channels: config.channels.map((channel) => (channel.channelType === 'chatapp' ? { ...channel, survey: { ...SURVEY, timeoutMs } } : channel)),
    surveySweepIntervalMs: 50,
  }),
});

const surveyTexts = (harness: Harness, customerId: string) =>
  deliveriesOfType(harness, 'message')
    .filter((d) => d.body.author === 'survey' && (d.body.to as { id: string }).id === customerId)
    .map((d) => d.body.text);

/** A chat with an agent, ended by the agent: the task it ran as. */
async function chatEndedByAgent(harness: Harness, customer: { id: string; name: string }) {
  const conversationSid = await sendFirstMessage(harness, { id: `${customer.id}-1`, from: customer, text: 'Hello' });
  const task = await taskFor(harness, conversationSid);
  await harness.control.accept(task.sid);
  // Webhooks arrive in any order: the survey is decided by the agent's joining, on record once the channel hears of it.
  await eventually(() => deliveriesOfType(harness, 'agent_changed').some((d) => d.body.conversationSid === conversationSid), 'the agent joined');
  await harness.control.reply(task.sid, 'Done, anything else?');
  await harness.control.complete(task.sid);
  return { conversationSid, task };
}

describeWithHarness('post-chat survey', withSurvey(60_000), (harness) => {
  test('after the agent ends the chat the customer is asked over the channel; the answers land in the task under the Insights keys', async () => {
    const customer = { id: 'survey-customer', name: 'Sam' };
    const { conversationSid, task } = await chatEndedByAgent(harness, customer);
    await eventually(() => surveyTexts(harness, customer.id).length === 1, 'the first question');
    assert.equal(deliveriesOfType(harness, 'ended').length, 1, 'the channel is told the chat ended, then asked');

    const answer = async (id: string, text: string, questionsAfter: number) => {
      assert.equal((await harness.send({ id, from: customer, text })).status, 202);
      await eventually(() => surveyTexts(harness, customer.id).length === questionsAfter, `the survey message after "${text}"`);
    };
    await answer('a-1', '4', 2);
    await answer('a-2', 'Yes', 3);
    await answer('a-3', 'Quicker replies, please', 4);
    assert.deepEqual(surveyTexts(harness, customer.id), [...SURVEY.questions.map((q) => q.text), SURVEY.thanksText]);

    const written = await eventually(async () => {
      const attributes = (await taskFor(harness, conversationSid)).attributes;
      return (
        attributes.conversations !== undefined && (attributes.conversations as Record<string, unknown>).conversation_attribute_1 !== undefined && attributes
      );
    }, 'the answers in the task');
    assert.deepEqual(written.conversations, {
      ...(task.attributes.conversations as object),
      conversation_measure_1: 4,
      conversation_measure_2: 1,
      conversation_attribute_1: 'Quicker replies, please',
    });
    // The answers were not messages for Flex: no new conversation, no new task.
    assert.equal(
      (await harness.control.tasks()).filter((t) => t.attributes.conversationSid !== conversationSid && t.attributes.from === customer.name).length,
      0,
    );
    assert.equal(await harness.middleware.store.findActiveSession('chatapp', customer.id), undefined);
    const survey = await eventually(async () => {
      const stored = await harness.middleware.store.surveys.findLatestSurvey('chatapp', customer.id);
      return stored?.state === 'closed' && stored;
    }, 'the survey closed');
    assert.deepEqual(survey.answers, [], 'answers are not kept once in the task');
    assert.ok(!harness.logLines.some((line) => line.includes('Quicker replies')), 'no answer is logged');

    // Afterwards the customer's message is a new chat.
    await sendFirstMessage(harness, { id: 'a-4', from: customer, text: 'One more question' });
    assert.equal(surveyTexts(harness, customer.id).length, 4);
  });

  test('a message that is not an answer stops the survey and reaches Flex as a new chat; what was answered is written', async () => {
    const customer = { id: 'survey-changes-mind', name: 'Kim' };
    const { conversationSid } = await chatEndedByAgent(harness, customer);
    await eventually(() => surveyTexts(harness, customer.id).length === 1, 'the first question');
    assert.equal((await harness.send({ id: 'k-1', from: customer, text: '5' })).status, 202);
    await eventually(() => surveyTexts(harness, customer.id).length === 2, 'the second question');
    const next = await sendFirstMessage(harness, { id: 'k-2', from: customer, text: 'Actually, I have another problem' });
    assert.notEqual(next, conversationSid);
    const written = await eventually(async () => {
      const conversations = (await taskFor(harness, conversationSid)).attributes.conversations as Record<string, unknown> | undefined;
      return conversations?.conversation_measure_1 !== undefined && conversations;
    }, 'the rating in the task');
    assert.equal(written.conversation_measure_1, 5);
    assert.equal(written.conversation_measure_2, undefined);
    assert.equal(surveyTexts(harness, customer.id).length, 2, 'no thanks, no more questions');
  });
});

describeWithHarness('post-chat survey, no agent', withSurvey(60_000), (harness) => {
  test('a conversation closed before any agent joined (the customer left waiting in the queue) ends without a survey', async () => {
    const customer = { id: 'survey-unserved', name: 'Kim' };
    const conversationSid = await sendFirstMessage(harness, { id: 'u-1', from: customer, text: 'Hello?' });
    await harness.admin.conversations.v1.conversations(conversationSid).update({ state: 'closed' });
    await eventually(() => deliveriesOfType(harness, 'ended').some((d) => d.body.conversationSid === conversationSid), 'the channel told it ended');
    await eventually(async () => (await harness.middleware.store.findActiveSession('chatapp', customer.id)) === undefined, 'the session closed');
    assert.equal(await harness.middleware.store.surveys.findLatestSurvey('chatapp', customer.id), undefined);
    assert.deepEqual(surveyTexts(harness, customer.id), []);
  });
});

describeWithHarness('post-chat survey, unanswered', withSurvey(200), (harness) => {
  test('a customer who does not answer in time is closed quietly: nothing more is sent, nothing written', async () => {
    const customer = { id: 'survey-silent', name: 'Lee' };
    const { conversationSid, task } = await chatEndedByAgent(harness, customer);
    await eventually(() => surveyTexts(harness, customer.id).length === 1, 'the first question');
    const survey = await eventually(async () => {
      const stored = await harness.middleware.store.surveys.findLatestSurvey('chatapp', customer.id);
      return stored?.state === 'closed' && stored;
    }, 'the survey closed after its timeout');
    assert.deepEqual(survey.answers, []);
    assert.deepEqual(surveyTexts(harness, customer.id), [SURVEY.questions[0]!.text]);
    assert.deepEqual((await taskFor(harness, conversationSid)).attributes.conversations, task.attributes.conversations);
    // A late reply is a new chat, not an answer.
    await sendFirstMessage(harness, { id: 'l-1', from: customer, text: '3' });
  });
});
