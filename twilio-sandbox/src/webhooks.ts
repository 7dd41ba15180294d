import { randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import twilio from 'twilio';
import type { FaultInjector } from './faults.js';
import { encodeForm } from './form.js';
import type { Scheduler } from './scheduler.js';

export interface OutgoingWebhook {
  url: string;
  method?: 'GET' | 'POST';
  /** Form parameters, with Twilio's names (EventType, ConversationSid, ...). */
  params: Record<string, string>;
  /** Retries after the first attempt; defaults to the stand-in's `webhookRetries`. */
  retries?: number;
}

export interface DeliveryRecord {
  id: number;
  url: string;
  method: 'GET' | 'POST';
  eventType: string | undefined;
  idempotencyToken: string;
  params: Record<string, string>;
  attempts: Array<{ at: string; status?: number; error?: string }>;
  outcome: 'pending' | 'delivered' | 'failed' | 'dropped';
}

export interface DispatcherOptions {
  authToken: string;
  timeoutMs: number;
  retries: number;
  retryDelayMs?: number;
  scheduler: Scheduler;
  faults: FaultInjector;
  log?: (msg: string, extra?: Record<string, unknown>) => void;
}

/**
 * Sends webhooks as Twilio does: form-encoded, signed with `X-Twilio-Signature` (HMAC-SHA1
 * of the URL and sorted parameters, keyed by the auth token), carrying an
 * `I-Twilio-Idempotency-Token` that stays the same on retries, with a timeout (5 s) and
 * retries on timeouts, connection errors and 5xx answers (never on 4xx).
 */
export class WebhookDispatcher {
  readonly deliveries: DeliveryRecord[] = [];
  private nextId = 1;
  /** Requests in flight, ended when the stand-in closes: one listener on the scheduler's signal, not one per request (adding each scans the others). */
  private readonly inFlight = new Set<() => void>();

  constructor(private readonly opts: DispatcherOptions) {
    opts.scheduler.signal.addEventListener('abort', () => {
      for (const end of this.inFlight) end();
    });
  }

  send(hook: OutgoingWebhook): void {
    const method = hook.method ?? 'POST';
    const record: DeliveryRecord = {
      id: this.nextId++,
      url: hook.url,
      method,
      eventType: hook.params.EventType,
      idempotencyToken: `${randomUUID()}`,
      params: hook.params,
      attempts: [],
      outcome: 'pending',
    };
    this.deliveries.push(record);
    if (this.deliveries.length > 1000) this.deliveries.shift();
    this.opts.scheduler.run(() => this.deliver(record, hook.retries ?? this.opts.retries));
  }

  private async deliver(record: DeliveryRecord, retries: number): Promise<void> {
    const { scheduler, faults } = this.opts;
    const fault = faults.forWebhook(record.url, record.eventType);
    if (fault.delayMs > 0) await scheduler.sleep(fault.delayMs);
    if (fault.drop) {
      record.outcome = 'dropped';
      this.opts.log?.('webhook dropped (fault injection)', { url: record.url, eventType: record.eventType });
      return;
    }
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (scheduler.closed) return;
      if (attempt > 0) await scheduler.sleep((this.opts.retryDelayMs ?? 200) * attempt);
      const result = await this.attempt(record);
      record.attempts.push({ at: new Date().toISOString(), ...result });
      if (result.status !== undefined && result.status < 500) {
        record.outcome = 'delivered';
        return;
      }
    }
    record.outcome = 'failed';
    this.opts.log?.('webhook failed', {
      url: record.url,
      eventType: record.eventType,
      attempts: record.attempts.length,
    });
  }

  private attempt(record: DeliveryRecord): Promise<{ status?: number; error?: string }> {
    const { authToken, timeoutMs, scheduler } = this.opts;
    let target: URL;
    let body: string | undefined;
    let signature: string;
    try {
      if (record.method === 'GET') {
        target = new URL(record.url);
        for (const [k, v] of Object.entries(record.params)) target.searchParams.append(k, v);
        signature = twilio.getExpectedTwilioSignature(authToken, target.toString(), {});
      } else {
        target = new URL(record.url);
        body = encodeForm(record.params);
        signature = twilio.getExpectedTwilioSignature(authToken, record.url, record.params);
      }
    } catch (err) {
      return Promise.resolve({ error: `invalid webhook URL: ${(err as Error).message}` });
    }
    const headers: Record<string, string> = {
      'X-Twilio-Signature': signature,
      'I-Twilio-Idempotency-Token': record.idempotencyToken,
      'User-Agent': 'TwilioProxy/1.1',
      Accept: '*/*',
      Connection: 'close',
    };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded; charset=UTF-8';
      headers['Content-Length'] = String(Buffer.byteLength(body));
    }
    return new Promise((resolve) => {
      let settled = false;
      const finish = (r: { status?: number; error?: string }) => {
        if (settled) return;
        settled = true;
        scheduler.clearTimeout(timer);
        this.inFlight.delete(onAbort);
        resolve(r);
      };
      const lib = target.protocol === 'https:' ? https : http;
      const req = lib.request(target, { method: record.method, headers, agent: false }, (res) => {
        res.resume();
        res.on('end', () => finish({ status: res.statusCode ?? 0 }));
        res.on('error', (e) => finish({ error: e.message }));
      });
      const onAbort = () => {
        req.destroy();
        finish({ error: 'stand-in closed' });
      };
      const timer = scheduler.setTimeout(() => {
        req.destroy();
        finish({ error: `timed out after ${timeoutMs} ms` });
      }, timeoutMs);
      this.inFlight.add(onAbort);
      req.on('error', (e) => finish({ error: e.message }));
      if (body !== undefined) req.write(body);
      req.end();
    });
  }
}
