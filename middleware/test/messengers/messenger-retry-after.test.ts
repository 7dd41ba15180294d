import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness } from '@custom-channels/test-kit/harness';
import { activeConversationSid, taskFor } from '@custom-channels/test-kit/flex-checks';
import { lineUserId } from '@custom-channels/test-kit/messengers/line-standin';
import { LINE_TEST, startMessengerStandIns, TELEGRAM_TEST } from '@custom-channels/test-kit/messengers/messenger-channels';
import { eventually } from '@custom-channels/test-kit/poll';

describe('a platform that asks to wait is not asked again sooner', async () => {
  const messengers = await startMessengerStandIns();
  // The tests' quick policy caps every delay at 200 ms; this one lets a wait of seconds show.
  const harness = await startHarness({
    routing: 'interactions',
    env: messengers.env,
    configure: (config) => ({ ...config, retry: { ...config.retry, toChannel: { baseDelayMs: 20, maxDelayMs: 10_000, maxAttempts: 50 } } }),
  });
  after(async () => {
    await harness.stop();
    await messengers.close();
  });

  const acceptedTask = async (channelType: string, customerId: string) => {
    const task = await taskFor(harness, await activeConversationSid(harness, customerId, channelType));
    await harness.control.accept(task.sid);
    return task;
  };

  test("Telegram's retry_after: the next sendMessage comes after it", async () => {
    const { telegram } = messengers;
    const user = { id: 5559001, first_name: 'Ed' };
    const url = `${harness.middleware.url}/channels/telegram/${TELEGRAM_TEST.channelType}`;
    assert.equal((await telegram.deliver(telegram.textUpdate(user, 'hi'), { url, secretToken: TELEGRAM_TEST.secret })).status, 200);
    const task = await acceptedTask(TELEGRAM_TEST.channelType, String(user.id));
    const from = telegram.sendAttempts.length;
    telegram.throttle(1, 2);
    await harness.control.reply(task.sid, 'in two seconds');
    await eventually(() => telegram.sent.some((message) => message.text === 'in two seconds'), 'the reply after the wait', 15_000);
    const [refused, delivered] = telegram.sendAttempts.slice(from);
    assert.deepEqual([refused!.status, delivered!.status], [429, 200]);
    assert.ok(delivered!.at - refused!.at >= 2000, `sent again ${delivered!.at - refused!.at} ms after a 429 asking for 2 s`);
  });

  test("LINE's Retry-After, when it sends one: the next push comes after it", async () => {
    const { line } = messengers;
    const user = { userId: lineUserId(), displayName: 'Fy' };
    const url = `${harness.middleware.url}/channels/line/${LINE_TEST.channelType}`;
    assert.equal((await line.deliver(line.textCallback(user, 'hi'), { url })).status, 200);
    const task = await acceptedTask(LINE_TEST.channelType, user.userId);
    const from = line.pushAttempts.length;
    line.throttle(1, 2);
    await harness.control.reply(task.sid, 'in two seconds');
    await eventually(() => line.pushed.some((message) => message.text === 'in two seconds'), 'the push after the wait', 15_000);
    const [refused, delivered] = line.pushAttempts.slice(from);
    assert.deepEqual([refused!.status, delivered!.status], [429, 200]);
    assert.ok(delivered!.at - refused!.at >= 2000, `pushed again ${delivered!.at - refused!.at} ms after a 429 asking for 2 s`);
  });
});
