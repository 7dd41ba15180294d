import { channel } from 'node:diagnostics_channel';
import type { Params } from './form.js';

/** A REST request the stand-in answered with success (path, SIDs and parameters checked, the handler done). */
export interface AcceptedRequest {
  /** The stand-in's product prefix: `conversations`, `flex-api`, `taskrouter`, `studio`. */
  product: string;
  method: string;
  /** The path below the product, as on Twilio's host: `/v1/Conversations/CH.../Messages`. */
  path: string;
  query: Array<[string, string]>;
  body: Array<[string, string]>;
  /** Twilio headers that are parameters in the specs (`X-Twilio-Webhook-Enabled`). */
  headers: Record<string, string>;
}

/**
 * Published for every accepted request, so that a test can check what the kit sent against
 * Twilio's own specs: the stand-in answers leniently where Twilio would not always.
 */
export const acceptedRequests = channel('custom-channels:sandbox:accepted-request');

function paramEntries(params: Params): Array<[string, string]> {
  return params.names().flatMap((name) => params.getAll(name).map((value): [string, string] => [name, value]));
}

export interface AnsweredRequest {
  product: string;
  method: string;
  path: string;
  query: Params;
  body: Params;
  webhookEnabledHeader: string | undefined;
}

export function announceAccepted(request: AnsweredRequest): void {
  if (!acceptedRequests.hasSubscribers) return;
  const { product, method, path, query, body, webhookEnabledHeader } = request;
  const accepted: AcceptedRequest = {
    product,
    method,
    path,
    query: paramEntries(query),
    body: paramEntries(body),
    headers: webhookEnabledHeader === undefined ? {} : { 'X-Twilio-Webhook-Enabled': webhookEnabledHeader },
  };
  acceptedRequests.publish(accepted);
}
