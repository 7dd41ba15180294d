import type { SetupOptions } from './args.js';
import { AccountReader, type FoundResource, type LegacyFlexFlow } from './account.js';
import { BOT_MENU_TEMPLATE_NAME, botFlowDefinition, botMenuTemplate, DEFAULT_BOT_FLOW_NAME, type ContentTemplateRequest } from './bot-flow.js';
import { conversationsFlowDefinition, DEFAULT_CONVERSATIONS_FLOW_NAME, sameDefinition, type StudioFlowDefinition } from './definitions.js';

export type Action = 'create' | 'update' | 'unchanged';

export interface StudioFlowStep {
  resource: 'studio-flow';
  action: Action;
  name: string;
  sid?: string;
  /** What drifted, for an update. */
  changes: string[];
  definition: StudioFlowDefinition;
}

/** A Content template the setup creates once and then reuses as it is (the API cannot change one). */
export interface ContentTemplateStep {
  resource: 'content-template';
  action: 'create' | 'unchanged';
  name: string;
  sid?: string;
  changes: string[];
  template: ContentTemplateRequest;
}

export type Step = ContentTemplateStep | StudioFlowStep;

/** Stands in a planned flow definition for the SID of a Content template created in the same run. */
export const PENDING_CONTENT_SID = '<SID of the new Content template>';

export interface Plan {
  options: SetupOptions;
  /** Existing resources the setup uses and never changes (workspace, workflow, services). */
  found: FoundResource[];
  /** Resources the setup owns, in the order they must be applied. */
  steps: Step[];
  warnings: string[];
  /** Flex Flows of the original custom-chat pattern found in the account: what replaces them is said, nothing is changed. */
  legacyFlexFlows: LegacyFlexFlow[];
  workspaceSid: string;
  workflowSid: string;
}

/** Compares what the account has with what the middleware needs; reads only. */
export async function planSetup(options: SetupOptions, reader: AccountReader): Promise<Plan> {
  const found: FoundResource[] = [];
  const warnings: string[] = [];
  const steps: Step[] = [];

  const workspace = await reader.workspace(options.workspace);
  found.push(workspace);
  const workflow = await reader.workflow(workspace.sid, options.workflow);
  found.push(workflow);
  const taskChannel = await reader.chatTaskChannel(workspace.sid);
  found.push(taskChannel);
  const service = await reader.conversationsService();
  found.push(service.found);
  if (service.warning) warnings.push(service.warning);
  if (options.route === 'studio' && options.bot) {
    const menuSid = await reader.contentTemplateSid(BOT_MENU_TEMPLATE_NAME);
    const menu: ContentTemplateStep = menuSid
      ? { resource: 'content-template', action: 'unchanged', name: BOT_MENU_TEMPLATE_NAME, sid: menuSid, changes: [], template: botMenuTemplate() }
      : { resource: 'content-template', action: 'create', name: BOT_MENU_TEMPLATE_NAME, changes: [], template: botMenuTemplate() };
    steps.push(menu);
    const definition = botFlowDefinition({ workflowSid: workflow.sid, taskChannelSid: taskChannel.sid, menuContentSid: menuSid ?? PENDING_CONTENT_SID });
    steps.push(await planBotFlow(reader, options.flowName ?? DEFAULT_BOT_FLOW_NAME, definition));
  } else if (options.route === 'studio') {
    const definition = conversationsFlowDefinition({ workflowSid: workflow.sid, taskChannelSid: taskChannel.sid });
    steps.push(await planStudioFlow(reader, options.flowName ?? DEFAULT_CONVERSATIONS_FLOW_NAME, definition));
  }
  const legacyFlexFlows = await reader.legacyFlexFlows();
  return { options, found, steps, warnings, legacyFlexFlows, workspaceSid: workspace.sid, workflowSid: workflow.sid };
}

async function planStudioFlow(reader: AccountReader, name: string, definition: StudioFlowDefinition): Promise<StudioFlowStep> {
  const actual = await reader.studioFlow(name);
  if (!actual) return { resource: 'studio-flow', action: 'create', name, changes: [], definition };
  const changes: string[] = [];
  if (!sameDefinition(actual.definition, definition)) changes.push('definition');
  if (actual.status !== 'published') changes.push(`status (${actual.status} → published)`);
  return {
    resource: 'studio-flow',
    action: changes.length ? 'update' : 'unchanged',
    name,
    sid: actual.sid,
    changes,
    definition,
  };
}

/** The bot is a template: created once, then the operator's to edit in Studio, so an existing one is kept as it is. */
async function planBotFlow(reader: AccountReader, name: string, definition: StudioFlowDefinition): Promise<StudioFlowStep> {
  const actual = await reader.studioFlow(name);
  if (!actual) return { resource: 'studio-flow', action: 'create', name, changes: [], definition };
  return { resource: 'studio-flow', action: 'unchanged', name, sid: actual.sid, changes: [], definition };
}

/** Whether applying the plan would change anything in Twilio. */
export function changesTwilio(plan: Plan): boolean {
  return plan.steps.some((step) => step.action !== 'unchanged');
}
