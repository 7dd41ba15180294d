import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startFixture } from './helpers.js';

describe('setup in an account that still has a Flex Flow of the original custom-chat pattern', async () => {
  const fixture = await startFixture();
  after(() => fixture.stop());
  const flexFlows = fixture.admin.flexApi.v1.flexFlow;
  const chatServiceSid = fixture.sandbox.seeded.conversationsServiceSid;

  test('without one, nothing is said about Flex Flows', async () => {
    // Flex Flows of other kinds are no custom chat of the original pattern.
    await flexFlows.create({
      friendlyName: 'SMS',
      chatServiceSid,
      channelType: 'sms',
      integrationType: 'studio',
      'integration.flowSid': `FW${'1'.repeat(32)}`,
    });
    await flexFlows.create({
      friendlyName: 'External',
      chatServiceSid,
      channelType: 'custom',
      integrationType: 'external',
      'integration.url': 'https://example.com/x',
    });
    const result = await fixture.run('conversations', '--dry-run');
    assert.equal(result.code, 0, result.err);
    assert.doesNotMatch(result.out, /Flex Flow/);
  });

  test('with one (studio or task, channel type custom), one paragraph says what replaces it and how to remove it, and it is left as it is', async () => {
    const legacy = await flexFlows.create({
      friendlyName: 'Custom channel chatapp',
      chatServiceSid,
      channelType: 'custom',
      integrationType: 'studio',
      'integration.flowSid': `FW${'2'.repeat(32)}`,
    });
    const result = await fixture.run('conversations', '--dry-run');
    assert.equal(result.code, 0, result.err);
    const lines = result.out.split('\n');
    const heading = lines.indexOf('Legacy Flex Flow:');
    assert.ok(heading > 0, result.out);
    const paragraph = lines[heading + 1]!;
    assert.equal(lines[heading + 2], '', 'one paragraph');
    assert.match(paragraph, new RegExp(`Flex Flow "Custom channel chatapp" \\(${legacy.sid}\\) with channel type custom`));
    assert.match(paragraph, /one Conversation per customer and routes it to Flex through the Interactions API/);
    assert.match(paragraph, /Console \(Flex > Channel management > Messaging, its Legacy Addresses tab/);
    assert.ok(paragraph.endsWith(`twilio api:flex:v1:flex-flow:remove --sid ${legacy.sid}`), paragraph);
    assert.doesNotMatch(paragraph, /"SMS"|"External"/);
    assert.ok(
      (await flexFlows.list()).some((flexFlow) => flexFlow.sid === legacy.sid),
      'setup never removes it',
    );
  });
});
