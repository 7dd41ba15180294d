import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTaskAttributes } from '@custom-channels/contract';
import channelsConfig from '../../channels.json' with { type: 'json' };
import { exampleTasks } from '../src/flex-preview/example-tasks.js';

/** The preview's sample tasks and the example configuration say the same as the demo's real tasks. */

test("a custom channel's example task has the attributes the middleware writes: the display name in `from`", () => {
  for (const example of exampleTasks(['assigned'])) {
    const attributes = example.task.attributes as Record<string, unknown>;
    const written = buildTaskAttributes({
      channelType: example.channelType,
      customerName: String(attributes.name),
      channelDisplayName: example.displayName,
    });
    assert.deepEqual({ ...attributes, plan: undefined }, { ...written, plan: undefined }, example.channelType);
    assert.equal(attributes.from, attributes.name);
  }
});

test('the example configuration labels `from` as what it holds, the customer, not an id', () => {
  for (const channel of channelsConfig.channels) {
    for (const field of channel.profile ?? []) {
      if (field.value.includes('task.attributes.from')) assert.doesNotMatch(field.label, /\bid\b/i, channel.channelType);
    }
  }
});
