import type { Ctx } from '../context.js';

/** Studio's documented limit for a widget's outgoing request. */
const REQUEST_TIMEOUT_MS = 10_000;

type Render = (value: unknown) => string;

/**
 * `make-http-request` and `run-function`: one request to the widget's `url`, with its
 * `parameters` (form-encoded) or, for a JSON `make-http-request`, its rendered `body`. The
 * widget's variables are `status_code`, `content_type`, `body` and, for JSON, `parsed`; a
 * non-2xx answer, a timeout or a connection error takes the failure transition.
 */
export async function callOut(
  ctx: Ctx,
  type: string,
  props: Record<string, unknown>,
  render: Render,
): Promise<{ ok: boolean; widget: Record<string, unknown> }> {
  const method = type === 'run-function' ? 'POST' : render(props.method).toUpperCase() || 'GET';
  const contentType = type === 'run-function' ? 'application/x-www-form-urlencoded' : render(props.content_type);
  const form = new URLSearchParams();
  for (const p of (props.parameters as Array<{ key: string; value: unknown }> | undefined) ?? []) form.append(p.key, render(p.value));
  const json = contentType.startsWith('application/json');
  let url = render(props.url);
  let body: string | undefined;
  if (method === 'GET') url += form.size > 0 ? `${url.includes('?') ? '&' : '?'}${form}` : '';
  else body = json ? render(props.body) : String(form);
  try {
    const res = await fetch(url, {
      method,
      headers: body === undefined ? {} : { 'content-type': contentType || 'application/x-www-form-urlencoded' },
      body,
      signal: AbortSignal.any([AbortSignal.timeout(REQUEST_TIMEOUT_MS), ctx.scheduler.signal]),
    });
    const text = await res.text();
    const answerType = res.headers.get('content-type') ?? '';
    return { ok: res.ok, widget: { status_code: res.status, content_type: answerType, body: text, parsed: parseJson(answerType, text) } };
  } catch {
    ctx.log(`studio: ${type} request failed`, { status: 'no answer' });
    return { ok: false, widget: { status_code: 0, content_type: '', body: '' } };
  }
}

function parseJson(contentType: string, text: string): unknown {
  if (!contentType.includes('json')) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
