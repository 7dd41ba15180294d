import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PACKAGE_DIR } from '../../src/config/load-config.js';
import { startMiddleware } from '../../src/app.js';
import { signInboundRequest } from '../../src/security/hub-signature.js';
import { startSandbox } from '@custom-channels/twilio-sandbox';
import { inProcessConfig } from '@custom-channels/test-kit/harness';
import { middlewareEnvironment } from '@custom-channels/test-kit/middleware-env';
import { eventually } from '@custom-channels/test-kit/poll';
import { startReceiver } from '@custom-channels/test-kit/receiver';
import { SandboxControl } from '@custom-channels/test-kit/sandbox-control';
import { createLogger } from '../../src/observability/logger.js';

const OBSERVABILITY_DIR = join(dirname(PACKAGE_DIR), 'deploy', 'observability');
const SECRET = 'chatapp-secret-for-the-metrics-test';
const ADMIN_TOKEN = 'admin-token-for-the-metrics-test-0123456789';
/** Series Prometheus itself makes, not the middleware. */
const PROMETHEUS_OWN = new Set(['up']);
/** What PromQL may name besides metrics: functions, keywords, labels and their values. */
const NOT_METRICS =
  /^(sum|max|min|count|rate|by|without|histogram_quantile|le|queue|state|outcome|channel|kind|instance|job|on|ignoring|and|or|unless|absent|humanizeDuration|labels|value|failed|pending|active|waiting|throttled)$/;

/** Every metric name an expression mentions (a word followed by `{`, `[`, `)` or an operator, that is not a function or label). */
function metricNames(expression: string): string[] {
  const withoutStrings = expression.replace(/"[^"]*"/g, '""');
  const withoutSelectors = withoutStrings.replace(/\{[^}]*\}/g, '{}');
  return [...withoutSelectors.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\b(?!\s*\()/g)]
    .map((match) => match[1]!)
    .filter((word) => !NOT_METRICS.test(word) && !/^\d/.test(word) && !/^\d+[smhd]$/.test(word));
}

/** A histogram's series carry _bucket, _sum and _count; the family is what /metrics declares. */
const family = (name: string) => name.replace(/_(bucket|sum|count)$/, '');

function dashboardExpressions(): string[] {
  const dashboard = JSON.parse(readFileSync(join(OBSERVABILITY_DIR, 'grafana-dashboard.json'), 'utf8')) as {
    panels: Array<{ targets: Array<{ expr: string }> }>;
  };
  return dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr));
}

/** The rules file's `expr:` values (one line, or a folded `>-` block). */
function ruleExpressions(): string[] {
  const lines = readFileSync(join(OBSERVABILITY_DIR, 'prometheus-rules.yaml'), 'utf8').split('\n');
  const expressions: string[] = [];
  lines.forEach((line, index) => {
    const match = /^(\s*)expr:\s*(.*)$/.exec(line);
    if (!match) return;
    if (match[2] !== '>-') return void expressions.push(match[2]!);
    const block: string[] = [];
    for (let next = index + 1; next < lines.length && lines[next]!.startsWith(`${match[1]}  `); next += 1) block.push(lines[next]!.trim());
    expressions.push(block.join(' '));
  });
  return expressions;
}

test('the metric names parser finds metrics, not functions, labels or durations', () => {
  assert.deepEqual(metricNames('histogram_quantile(0.95, sum by (le, queue) (rate(cc_outbox_handled_seconds_bucket[5m]))) > 30'), [
    'cc_outbox_handled_seconds_bucket',
  ]);
  assert.deepEqual(metricNames('cc_webchat_sockets / (cc_webchat_sockets_limit > 0) > 0.8'), ['cc_webchat_sockets', 'cc_webchat_sockets_limit']);
  assert.deepEqual(metricNames('up{job="custom-channels-middleware"} == 0'), ['up']);
});

test('every metric the Grafana dashboard and the alerting rules name is exported by /metrics', async () => {
  const dashboard = dashboardExpressions();
  const rules = ruleExpressions();
  assert.ok(dashboard.length >= 10 && rules.length >= 7, 'the files were read');
  const named = new Set([...dashboard, ...rules].flatMap(metricNames));
  for (const expected of [
    'cc_outbox_oldest_due_seconds',
    'cc_outbox_handled_seconds_bucket',
    'cc_outbox_attempts_total',
    'cc_ready',
    'cc_webchat_sockets',
    'cc_media_download_turns',
  ]) {
    assert.ok(named.has(expected), `${expected} is watched`);
  }

  const sandbox = await startSandbox({ port: 0, logger: false });
  const receiver = await startReceiver(SECRET);
  const env = await middlewareEnvironment({ sandbox, port: 0, channelSecret: SECRET, deliveryUrl: receiver.url });
  const middleware = await startMiddleware(inProcessConfig({ ...env, ADMIN_TOKEN }), { logger: createLogger('silent') });
  try {
    // One message through, so that the counters and the histogram have series too.
    const body = JSON.stringify({ id: 'metrics-1', from: { id: 'customer-metrics', name: 'Ann' }, text: 'Hello' });
    const answer = await fetch(`${middleware.url}/inbound/chatapp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signInboundRequest(SECRET, body) },
      body,
    });
    assert.equal(answer.status, 202);
    await eventually(async () => (await new SandboxControl(sandbox.url).tasks()).length > 0, 'a task');

    const exported = await eventually(async () => {
      const text = await (await fetch(`${middleware.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).text();
      return text.includes('cc_outbox_handled_seconds_bucket{') && text;
    }, 'the handled entry observed');
    const families = new Set([...exported.matchAll(/^# TYPE (\S+) /gm)].map((match) => match[1]!));
    const missing = [...named].filter((name) => !PROMETHEUS_OWN.has(name) && !families.has(family(name)) && !families.has(name));
    assert.deepEqual(missing, [], 'metrics named by the dashboard or the rules but not exported');
    assert.match(exported, /^cc_ready 1$/m);
    assert.match(exported, /^cc_outbox_attempts_total\{queue="to-flex",outcome="done"\} [1-9]/m);
    assert.match(exported, /^cc_media_download_turns_limit\{state="active"\} 16$/m);
    assert.match(exported, /^cc_outbox_oldest_due_seconds\{queue="to-flex"\} 0$/m);
  } finally {
    await middleware.stop();
    await receiver.close();
    await sandbox.close();
  }
});
