import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadConfig, PACKAGE_DIR } from '../src/config/load-config.js';
import { DEFAULT_SHUTDOWN, SHUTDOWN_MARGIN_MS } from '../src/lifecycle/shutdown.js';
import { startSandbox } from '@custom-channels/twilio-sandbox';

// The manifests hold numbers and names that must agree with the middleware's own: read them
// as text (no YAML parser among the dependencies; the files keep one value per line).
const REPO_DIR = dirname(PACKAGE_DIR);
const read = (path: string) => readFileSync(join(REPO_DIR, path), 'utf8');
const valueOf = (text: string, key: string) => {
  const match = new RegExp(`^\\s*${key}:\\s*'?([^'\\s#]+)'?`, 'm').exec(text);
  assert.ok(match, `${key} is set`);
  return match[1]!;
};

test('Kubernetes: probes on /readyz and /healthz at the image port, a kill deadline covering preStop, the grace and its margin', () => {
  const deployment = read('deploy/kubernetes/deployment.yaml');
  const configMap = read('deploy/kubernetes/configmap.yaml');
  const exposed = /^EXPOSE (\d+)$/m.exec(read('Dockerfile'))?.[1];
  assert.equal(valueOf(deployment, 'containerPort'), exposed);
  assert.match(deployment, /readinessProbe:\s+httpGet:\s+path: \/readyz/);
  assert.match(deployment, /livenessProbe:\s+httpGet:\s+path: \/healthz/);
  const preStopSeconds = Number(/command: \['sleep', '(\d+)'\]/.exec(deployment)?.[1]);
  const graceMs = Number(valueOf(configMap, 'SHUTDOWN_GRACE_MS'));
  const readinessDelayMs = Number(valueOf(configMap, 'SHUTDOWN_READINESS_DELAY_MS'));
  assert.ok(preStopSeconds > 0 && graceMs > readinessDelayMs);
  assert.ok(Number(valueOf(deployment, 'terminationGracePeriodSeconds')) * 1000 >= preStopSeconds * 1000 + graceMs + SHUTDOWN_MARGIN_MS);
  const kustomization = read('deploy/kubernetes/kustomization.yaml');
  assert.doesNotMatch(kustomization, /^\s*- secret/m, 'the placeholders are never deployed');
});

test('Compose: a stop is never cut short; the offline profile is configured for the stand-in as it seeds itself', async () => {
  const compose = read('compose.yaml');
  assert.ok(Number(/stop_grace_period: (\d+)s/.exec(compose)?.[1]) * 1000 >= DEFAULT_SHUTDOWN.graceMs + SHUTDOWN_MARGIN_MS);
  const offline = Object.fromEntries(
    read('deploy/compose/offline.env')
      .split('\n')
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  const config = loadConfig({ ...offline, DATABASE_URL: 'redis://redis:6379', ENV_FILE: '/nonexistent' });
  assert.equal(config.twilio.apiBaseUrl, 'http://twilio-sandbox:4010');
  const sandbox = await startSandbox({ port: 0, logger: false });
  try {
    assert.deepEqual(
      [offline.TWILIO_ACCOUNT_SID, offline.TWILIO_AUTH_TOKEN, offline.TWILIO_WORKSPACE_SID, offline.TWILIO_WORKFLOW_SID],
      [sandbox.accountSid, sandbox.authToken, sandbox.seeded.workspaceSid, sandbox.seeded.workflowSid],
    );
  } finally {
    await sandbox.close();
  }
});
