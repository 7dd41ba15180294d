/**
 * The least a middleware on this stack does per message, with nothing else. Inbound: fastify
 * serves the channel's signed request, the middleware's own Twilio client posts the message and
 * the request is answered 202 (the relay with nothing kept, as Twilio's samples do it), and
 * fastify serves the echo webhook that post causes (signature checked, dropped). Delivery:
 * fastify serves an agent's message webhook (signature checked) and the message is posted,
 * signed, to the channel over a keep-alive agent. No store, no outbox, no retries, no logging,
 * no metrics. bench/floor.ts runs it as a child process with `npm start`'s node options, on the
 * measured core; the client and the signature check come from the middleware's build
 * (FLOOR_MIDDLEWARE_LIBRARY), the code production runs.
 *
 * IPC in: `{ conversations }` (customer id → conversation and identity), then `'counts'`.
 * IPC out: `'ready'`, `{ posted, failed, echoes, delivered }`.
 */
import { Agent, request as httpRequest } from 'node:http';
import Fastify from 'fastify';
import twilio from 'twilio';

type Middleware = typeof import('@custom-channels/middleware');
interface Conversation {
  sid: string;
  identity: string;
}

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const { createTwilioClient, isSignedDelivery, signInboundRequest } = (await import(env('FLOOR_MIDDLEWARE_LIBRARY'))) as Middleware;
const secret = env('FLOOR_SECRET');
const authToken = env('TWILIO_AUTH_TOKEN');
const publicUrl = env('PUBLIC_BASE_URL');
const client = createTwilioClient({ accountSid: env('TWILIO_ACCOUNT_SID'), authToken, apiBaseUrl: env('TWILIO_API_BASE_URL') });
const deliveryUrl = new URL(env('FLOOR_DELIVERY_URL'));
const deliveryAgent = new Agent({ keepAlive: true });
const conversations = new Map<string, Conversation>();
const customerByIdentity = new Map<string, string>();
const customerByConversation = new Map<string, string>();
const counts = { posted: 0, failed: 0, echoes: 0, delivered: 0 };

function deliver(customerId: string, text: string, messageSid: string): void {
  const body = JSON.stringify({ id: messageSid, type: 'message', to: { id: customerId }, text });
  const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...signInboundRequest(secret, body) };
  const request = httpRequest(
    { host: deliveryUrl.hostname, port: deliveryUrl.port, path: deliveryUrl.pathname, method: 'POST', headers, agent: deliveryAgent },
    (response) => {
      response.resume();
      if (response.statusCode! < 300) counts.delivered += 1;
      else counts.failed += 1;
    },
  );
  request.on('error', () => (counts.failed += 1));
  request.end(body);
}

const app = Fastify();
app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) =>
  done(null, Object.fromEntries(new URLSearchParams(body as string))),
);

app.post<{ Body: Buffer }>('/inbound/chatapp', async (request, reply) => {
  if (!isSignedDelivery(secret, request.body, request.headers)) return reply.code(401).send({ error: 'invalid_signature' });
  const message = JSON.parse(request.body.toString('utf8')) as { id?: unknown; from?: { id?: unknown }; text?: unknown };
  const conversation = typeof message.from?.id === 'string' ? conversations.get(message.from.id) : undefined;
  if (!conversation || typeof message.id !== 'string' || typeof message.text !== 'string') return reply.code(400).send({ error: 'invalid_message' });
  try {
    await client.conversations.v1.conversations(conversation.sid).messages.create({
      author: conversation.identity,
      body: message.text,
      attributes: JSON.stringify({ externalId: message.id }),
      xTwilioWebhookEnabled: 'true',
    });
  } catch {
    counts.failed += 1;
    return reply.code(502).send({ error: 'post_failed' });
  }
  counts.posted += 1;
  return reply.code(202).send({ status: 'accepted' });
});

app.post<{ Body: Record<string, string> }>('/twilio/conversations', async (request, reply) => {
  const signature = request.headers['x-twilio-signature'];
  if (typeof signature !== 'string' || !twilio.validateRequest(authToken, signature, `${publicUrl}${request.url}`, request.body)) {
    return reply.code(403).send({ error: 'invalid_twilio_signature' });
  }
  const { Author: author = '', Body: text = '', MessageSid: messageSid = '', ConversationSid: conversationSid = '' } = request.body;
  if (customerByIdentity.has(author)) {
    counts.echoes += 1;
    return reply.code(200).send({ status: 'ignored' });
  }
  const customerId = customerByConversation.get(conversationSid);
  if (customerId === undefined) return reply.code(400).send({ error: 'unknown_conversation' });
  deliver(customerId, text, messageSid);
  return reply.code(200).send({ status: 'accepted' });
});

process.on('message', (message: 'counts' | { conversations: Record<string, Conversation> }) => {
  if (message === 'counts') {
    process.send!(counts);
    return;
  }
  for (const [customer, conversation] of Object.entries(message.conversations)) {
    conversations.set(customer, conversation);
    customerByIdentity.set(conversation.identity, customer);
    customerByConversation.set(conversation.sid, customer);
  }
  process.send!('ready');
});

await app.listen({ host: '127.0.0.1', port: Number(env('PORT')) });
process.send!('listening');
