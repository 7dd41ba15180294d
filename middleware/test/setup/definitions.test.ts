import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { conversationsFlowDefinition, sameDefinition } from '../../src/setup/definitions.js';

const input = { workflowSid: `WW${'1'.repeat(32)}`, taskChannelSid: `TC${'2'.repeat(32)}` };

describe('Studio flow definitions', () => {
  test('widget positions and the order of states are not drift; anything else is', () => {
    const desired = conversationsFlowDefinition(input);
    const moved = structuredClone(desired);
    moved.states.reverse();
    for (const state of moved.states) (state.properties as Record<string, unknown>).offset = { x: 9, y: 9 };
    assert.ok(sameDefinition(moved, desired));

    const edited = structuredClone(desired);
    (edited.states[1]!.properties as Record<string, unknown>).channel = 'TC-other';
    assert.ok(!sameDefinition(edited, desired));
    assert.ok(!sameDefinition({ ...desired, flags: { allow_concurrent_calls: false } }, desired));
  });

  test('the Send to Flex attributes render to valid JSON once Studio fills the placeholders', () => {
    const widget = conversationsFlowDefinition(input).states.find((state) => state.type === 'send-to-flex')!;
    const rendered = String((widget.properties as Record<string, unknown>).attributes).replace(/\{\{[^}]+\}\}/g, 'value');
    assert.deepEqual(JSON.parse(rendered), {
      channelType: 'value',
      customChannelType: 'value',
      name: 'value',
      from: 'value',
      conversationSid: 'value',
    });
  });
});
