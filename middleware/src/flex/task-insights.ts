import type { RoutingConfig } from '../config/config.js';
import type { TwilioClient } from '../twilio/client.js';

/** The task Flex routed for a conversation: its attributes name the conversation (`conversationSid`). */
async function latestTaskOf(client: TwilioClient, routing: RoutingConfig, conversationSid: string) {
  // Routed by Studio, the workspace is not configured: a Flex account has its Flex workspace.
  const workspaceSids =
    routing.kind === 'interactions' ? [routing.workspaceSid] : (await client.taskrouter.v1.workspaces.list({ limit: 20 })).map((workspace) => workspace.sid);
  for (const workspaceSid of workspaceSids) {
    const tasks = await client.taskrouter.v1.workspaces(workspaceSid).tasks.list({
      evaluateTaskAttributes: `conversationSid == "${conversationSid}"`,
      limit: 20,
    });
    // After a transfer the conversation has several tasks: the answers belong to the last one.
    const latest = tasks.sort((a, b) => b.dateCreated.getTime() - a.dateCreated.getTime())[0];
    if (latest) return { workspaceSid, task: latest };
  }
  return undefined;
}

/**
 * Merges values into the `conversations` object of the conversation's task attributes, where
 * Flex Insights reads its custom attributes and measures; the other attributes stay as they
 * are. Writing the same values again changes nothing, so a retry is safe.
 */
export async function mergeTaskInsights(
  client: TwilioClient,
  routing: RoutingConfig,
  conversationSid: string,
  values: Record<string, number | string>,
): Promise<'written' | 'no_task'> {
  const found = await latestTaskOf(client, routing, conversationSid);
  if (!found) return 'no_task';
  const attributes = JSON.parse(found.task.attributes) as Record<string, unknown>;
  const conversations = typeof attributes.conversations === 'object' && attributes.conversations !== null ? attributes.conversations : {};
  const merged = { ...attributes, conversations: { ...conversations, ...values } };
  await client.taskrouter.v1
    .workspaces(found.workspaceSid)
    .tasks(found.task.sid)
    .update({ attributes: JSON.stringify(merged) });
  return 'written';
}

/**
 * Sets top-level attributes of the conversation's task (the last one, after a transfer); the
 * other attributes stay as they are. Writing the same values again changes nothing.
 */
export async function mergeTaskAttributes(
  client: TwilioClient,
  routing: RoutingConfig,
  conversationSid: string,
  values: Record<string, string>,
): Promise<'written' | 'no_task'> {
  const found = await latestTaskOf(client, routing, conversationSid);
  if (!found) return 'no_task';
  const attributes = JSON.parse(found.task.attributes) as Record<string, unknown>;
  await client.taskrouter.v1
    .workspaces(found.workspaceSid)
    .tasks(found.task.sid)
    .update({ attributes: JSON.stringify({ ...attributes, ...values }) });
  return 'written';
}
