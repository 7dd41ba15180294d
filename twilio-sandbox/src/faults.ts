import { invalidParam } from './errors.js';

/** Which requests a fault rule applies to; every given field must match. */
export interface FaultMatch {
  /** Product path prefix: 'conversations' | 'flex-api' | 'taskrouter' | 'studio' | 'mcs'. */
  product?: string;
  /** HTTP method, e.g. 'POST'. */
  method?: string;
  /**
   * Path below the product, as on Twilio's host, e.g. '/v1/Conversations/* /Messages'
   * (without the space): '*' matches one path segment, '**' any number of segments.
   */
  path?: string;
}

/** A range in milliseconds, or one fixed value. */
export type Millis = number | { min: number; max: number };

/** One scripted answer: an error status, a closed connection, or 'none' to let the request through. */
export type ScriptedFault = 429 | 500 | 503 | 'reset' | 'none';

const SCRIPTED_FAULTS: readonly ScriptedFault[] = [429, 500, 503, 'reset', 'none'];

export interface HttpFaultRule {
  match?: FaultMatch;
  /**
   * The answers to the rule's first matching requests, in order (e.g. [429, 429, 500]): faults
   * that do not depend on chance. Once it is used up the rates apply. Setting faults again
   * starts it over.
   */
  script?: ScriptedFault[];
  /** Probability (0..1) of answering 429 / code 20429 with a Retry-After header. */
  rate429?: number;
  /** Probability (0..1) of answering 500. */
  rate500?: number;
  /** Probability (0..1) of answering 503. */
  rate503?: number;
  /** Probability (0..1) of closing the connection without an answer (the client sees ECONNRESET or "socket hang up"). */
  rateReset?: number;
  /** Retry-After header value on injected 429s, in seconds (default 1). */
  retryAfterSeconds?: number;
  /** Latency added before the request is handled. */
  latencyMs?: Millis;
}

export interface WebhookFaults {
  /** Probability (0..1) that an outgoing webhook is never sent (every attempt is lost). */
  dropRate?: number;
  /** Delay added before each outgoing webhook. */
  delayMs?: Millis;
  /** Restrict to webhooks whose URL contains this string. */
  urlContains?: string;
  /** Restrict to these event types (e.g. ['onMessageAdded']). */
  eventTypes?: string[];
}

/**
 * Fault injection settings. For each incoming request the first `http` rule whose `match`
 * matches applies (a rule without `match` matches everything). Control API and stand-in
 * internals are never faulted.
 */
export interface FaultSettings {
  http?: HttpFaultRule[];
  webhooks?: WebhookFaults;
}

/** Deterministic PRNG (mulberry32), so a seed reproduces a run's faults. */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type HttpFaultDecision =
  | { kind: 'none'; latencyMs: number }
  | { kind: 'error'; status: 429 | 500 | 503; latencyMs: number; retryAfterSeconds: number }
  | { kind: 'reset'; latencyMs: number };

/** How many faults were injected since start (or the last reset), by kind. */
export interface FaultStats {
  http429: number;
  http500: number;
  http503: number;
  /** Connections closed without an answer. */
  resets: number;
  /** Requests that waited for injected latency. */
  delayed: number;
  webhooksDropped: number;
  webhooksDelayed: number;
}

const NO_FAULTS: FaultStats = {
  http429: 0,
  http500: 0,
  http503: 0,
  resets: 0,
  delayed: 0,
  webhooksDropped: 0,
  webhooksDelayed: 0,
};

export class FaultInjector {
  private settings: FaultSettings = {};
  private counts: FaultStats = { ...NO_FAULTS };
  /** How much of each rule's script has been answered; new settings are new rules, so scripts start over. */
  private scriptUsed = new WeakMap<HttpFaultRule, number>();

  constructor(
    private readonly random: () => number,
    settings?: FaultSettings,
  ) {
    if (settings) this.set(settings);
  }

  get(): FaultSettings {
    return structuredClone(this.settings);
  }

  set(settings: FaultSettings): void {
    this.settings = normaliseFaults(settings);
  }

  stats(): FaultStats {
    return { ...this.counts };
  }

  resetStats(): void {
    this.counts = { ...NO_FAULTS };
  }

  private count<D extends HttpFaultDecision>(decision: D): D {
    if (decision.latencyMs > 0) this.counts.delayed += 1;
    if (decision.kind === 'error') this.counts[`http${decision.status}`] += 1;
    if (decision.kind === 'reset') this.counts.resets += 1;
    return decision;
  }

  forRequest(product: string, method: string, path: string): HttpFaultDecision {
    const rule = (this.settings.http ?? []).find((r) => matches(r.match, product, method, path));
    if (!rule) return { kind: 'none', latencyMs: 0 };
    const latencyMs = this.pick(rule.latencyMs);
    const answer = this.nextScripted(rule) ?? this.drawn(rule);
    if (answer === 'none') return this.count({ kind: 'none', latencyMs });
    if (answer === 'reset') return this.count({ kind: 'reset', latencyMs });
    return this.count({ kind: 'error', status: answer, latencyMs, retryAfterSeconds: rule.retryAfterSeconds ?? 1 });
  }

  private nextScripted(rule: HttpFaultRule): ScriptedFault | undefined {
    const used = this.scriptUsed.get(rule) ?? 0;
    const answer = rule.script?.[used];
    if (answer !== undefined) this.scriptUsed.set(rule, used + 1);
    return answer;
  }

  private drawn(rule: HttpFaultRule): ScriptedFault {
    const r = this.random();
    const r429 = rule.rate429 ?? 0;
    const r500 = rule.rate500 ?? 0;
    const r503 = rule.rate503 ?? 0;
    const rReset = rule.rateReset ?? 0;
    if (r < r429) return 429;
    if (r < r429 + r500) return 500;
    if (r < r429 + r500 + r503) return 503;
    if (r < r429 + r500 + r503 + rReset) return 'reset';
    return 'none';
  }

  forWebhook(url: string, eventType: string | undefined): { drop: boolean; delayMs: number } {
    const w = this.settings.webhooks;
    if (!w) return { drop: false, delayMs: 0 };
    if (w.urlContains && !url.includes(w.urlContains)) return { drop: false, delayMs: 0 };
    if (w.eventTypes && (!eventType || !w.eventTypes.includes(eventType))) return { drop: false, delayMs: 0 };
    const drop = (w.dropRate ?? 0) > 0 && this.random() < (w.dropRate ?? 0);
    const delayMs = this.pick(w.delayMs);
    if (drop) this.counts.webhooksDropped += 1;
    if (delayMs > 0) this.counts.webhooksDelayed += 1;
    return { drop, delayMs };
  }

  private pick(ms: Millis | undefined): number {
    if (ms === undefined) return 0;
    if (typeof ms === 'number') return ms;
    return ms.min + Math.floor(this.random() * (ms.max - ms.min + 1));
  }
}

function matches(match: FaultMatch | undefined, product: string, method: string, path: string): boolean {
  if (!match) return true;
  if (match.product && match.product !== product) return false;
  if (match.method && match.method !== '*' && match.method.toUpperCase() !== method.toUpperCase()) return false;
  if (match.path && !globMatch(match.path, path)) return false;
  return true;
}

function globMatch(pattern: string, path: string): boolean {
  const p = pattern.split('/').filter(Boolean);
  const s = path.split('?')[0]!.split('/').filter(Boolean);
  const walk = (i: number, j: number): boolean => {
    if (i === p.length) return j === s.length;
    if (p[i] === '**') return walk(i + 1, j) || (j < s.length && walk(i, j + 1));
    if (j === s.length) return false;
    return (p[i] === '*' || p[i] === s[j]) && walk(i + 1, j + 1);
  };
  return walk(0, 0);
}

/** Validates settings given through the control API or at start; throws a 400 error. */
export function normaliseFaults(input: unknown): FaultSettings {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) throw invalidParam('faults', 'must be an object');
  const raw = input as Record<string, unknown>;
  const out: FaultSettings = {};
  if (raw.http !== undefined) {
    if (!Array.isArray(raw.http)) throw invalidParam('http', 'must be an array of rules');
    out.http = raw.http.map((rule, i) => normaliseRule(rule, `http[${i}]`));
  }
  if (raw.webhooks !== undefined) {
    const w = raw.webhooks as Record<string, unknown>;
    if (w === null || typeof w !== 'object') throw invalidParam('webhooks', 'must be an object');
    out.webhooks = {
      ...(w.dropRate !== undefined ? { dropRate: rate(w.dropRate, 'webhooks.dropRate') } : {}),
      ...(w.delayMs !== undefined ? { delayMs: millis(w.delayMs, 'webhooks.delayMs') } : {}),
      ...(typeof w.urlContains === 'string' ? { urlContains: w.urlContains } : {}),
      ...(Array.isArray(w.eventTypes) ? { eventTypes: w.eventTypes.map(String) } : {}),
    };
  }
  return out;
}

function normaliseRule(input: unknown, where: string): HttpFaultRule {
  if (input === null || typeof input !== 'object') throw invalidParam(where, 'must be an object');
  const r = input as Record<string, unknown>;
  const rule: HttpFaultRule = {};
  if (r.match !== undefined) {
    const m = r.match as Record<string, unknown>;
    if (m === null || typeof m !== 'object') throw invalidParam(`${where}.match`, 'must be an object');
    rule.match = {
      ...(typeof m.product === 'string' ? { product: m.product } : {}),
      ...(typeof m.method === 'string' ? { method: m.method } : {}),
      ...(typeof m.path === 'string' ? { path: m.path } : {}),
    };
  }
  if (r.script !== undefined) {
    if (!Array.isArray(r.script) || !r.script.every((answer) => SCRIPTED_FAULTS.includes(answer as ScriptedFault))) {
      throw invalidParam(`${where}.script`, `must be an array of ${SCRIPTED_FAULTS.map((answer) => JSON.stringify(answer)).join(', ')}`);
    }
    rule.script = [...(r.script as ScriptedFault[])];
  }
  for (const key of ['rate429', 'rate500', 'rate503', 'rateReset'] as const) {
    if (r[key] !== undefined) rule[key] = rate(r[key], `${where}.${key}`);
  }
  const total = (rule.rate429 ?? 0) + (rule.rate500 ?? 0) + (rule.rate503 ?? 0) + (rule.rateReset ?? 0);
  if (total > 1) throw invalidParam(where, 'fault rates add up to more than 1');
  if (r.retryAfterSeconds !== undefined) {
    if (typeof r.retryAfterSeconds !== 'number' || r.retryAfterSeconds < 0) throw invalidParam(`${where}.retryAfterSeconds`);
    rule.retryAfterSeconds = r.retryAfterSeconds;
  }
  if (r.latencyMs !== undefined) rule.latencyMs = millis(r.latencyMs, `${where}.latencyMs`);
  return rule;
}

function rate(v: unknown, name: string): number {
  if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw invalidParam(name, 'must be a number from 0 to 1');
  return v;
}

function millis(v: unknown, name: string): Millis {
  if (typeof v === 'number' && v >= 0) return v;
  if (v && typeof v === 'object') {
    const { min, max } = v as { min?: unknown; max?: unknown };
    if (typeof min === 'number' && typeof max === 'number' && min >= 0 && max >= min) return { min, max };
  }
  throw invalidParam(name, 'must be a number of ms or { min, max }');
}
