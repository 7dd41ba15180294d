/**
 * Every request the stand-in accepted during the suite (the middleware's, setup's and the
 * tests' own), checked against the operation in Twilio's official spec: path and method,
 * parameter names spelled as declared, required parameters, enums, integers within their
 * bounds (page sizes), booleans, dates, and JSON-valued parameters that parse. The stand-in
 * is lenient where it can afford to be; Twilio is not.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { AcceptedRequest } from '../src/request-events.js';
import { deref, operationFor, PRODUCT, SPEC_DIR, type Operation, type Schema, type SpecName } from './twilio-specs.js';

const SPEC_OF_PRODUCT = new Map(Object.entries(PRODUCT).map(([name, product]) => [product, name as SpecName]));

function declaredParameters(name: SpecName, op: Operation, method: string): { params: Map<string, Schema>; required: string[] } {
  const params = new Map<string, Schema>();
  const required: string[] = [];
  for (const parameter of op.parameters ?? []) {
    if (parameter.in !== 'query') continue;
    params.set(parameter.name, deref(name, parameter.schema));
    if (parameter.required) required.push(parameter.name);
  }
  if (method !== 'GET') {
    const form = op.requestBody?.content?.['application/x-www-form-urlencoded']?.schema;
    for (const [param, schema] of Object.entries(form?.properties ?? {})) params.set(param, deref(name, schema));
    required.push(...(form?.required ?? []));
  }
  return { params, required };
}

function valueProblem(name: SpecName, schema: Schema, value: string): string | undefined {
  const values = Array.isArray(schema.enum) ? (schema.enum as string[]) : undefined;
  if (values && !values.includes(value)) return `is not one of ${values.join(', ')}`;
  if (schema.type === 'array') return valueProblem(name, deref(name, schema.items as Schema | undefined), value);
  if (schema.type === 'integer') {
    if (!/^-?\d+$/.test(value)) return 'is not an integer';
    const n = Number(value);
    if (typeof schema.minimum === 'number' && n < schema.minimum) return `is below the minimum ${schema.minimum}`;
    if (typeof schema.maximum === 'number' && n > schema.maximum) return `is above the maximum ${schema.maximum}`;
  }
  if (schema.type === 'boolean' && !/^(true|false)$/.test(value)) return 'is not true or false';
  if (schema.format === 'date-time' && Number.isNaN(Date.parse(value))) return 'is not a date-time';
  if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern).test(value)) return `does not match ${schema.pattern}`;
  if (schema.type === undefined && !values) {
    try {
      JSON.parse(value);
    } catch {
      return 'is not JSON, which this parameter takes';
    }
  }
  return undefined;
}

function headerProblems(name: SpecName, op: Operation, headers: Record<string, string>): string[] {
  return Object.entries(headers).flatMap(([header, value]) => {
    const declared = op.parameters?.find((parameter) => parameter.in === 'header' && parameter.name === header);
    if (!declared) return [`header ${header} is not a parameter of ${op.operationId}`];
    const problem = valueProblem(name, deref(name, declared.schema), value);
    return problem ? [`header ${header} ${problem}`] : [];
  });
}

/** What is wrong with one request; empty when it is as the spec declares. */
function problemsOf(request: AcceptedRequest): string[] {
  const name = SPEC_OF_PRODUCT.get(request.product);
  if (!name) return [`no spec for the product ${request.product}`];
  const found = operationFor(name, request.method, request.path);
  if (!found) return [`no ${request.method} ${request.path} in ${name}`];
  const { params, required } = declaredParameters(name, found.op, request.method);
  const sent = [...request.query, ...request.body];
  const problems = required.filter((param) => !sent.some(([sentName]) => sentName === param)).map((param) => `${param} is required`);
  for (const [param, value] of sent) {
    const schema = params.get(param);
    const problem = schema ? valueProblem(name, schema, value) : `is not a parameter of ${found.op.operationId}`;
    if (problem) problems.push(`${param} ${problem}`);
  }
  problems.push(...headerProblems(name, found.op, request.headers));
  return problems.map((problem) => `${found.op.operationId} (${request.method} ${found.path}): ${problem}`);
}

test('every request the stand-in accepted during the suite is one Twilio’s spec allows', (t) => {
  const file = process.env.TWILIO_REQUEST_LOG;
  assert.ok(file && existsSync(file), 'TWILIO_REQUEST_LOG names the file the suite recorded the requests in (run it through npm test)');
  const requests = readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as AcceptedRequest);
  assert.ok(requests.length > 0, 'the suite recorded requests');
  const problems = new Map<string, number>();
  const operations = new Set<string>();
  for (const request of requests) {
    operations.add(`${request.product} ${request.method} ${request.path.replace(/[A-Z]{2}[0-9a-f]{32}/g, '{Sid}')}`);
    for (const problem of problemsOf(request)) problems.set(problem, (problems.get(problem) ?? 0) + 1);
  }
  t.diagnostic(
    `checked ${requests.length} requests (${operations.size} distinct paths) against Twilio's specs in ${SPEC_DIR}: ${problems.size} kinds of problem`,
  );
  assert.deepEqual(
    [...problems].map(([problem, count]) => `${problem} (x${count})`),
    [],
  );
});
