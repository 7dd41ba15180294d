import type { SetupOptions } from './args.js';
import { AccountReader, type FoundResource } from './account.js';
import {
  conversationsFlowDefinition,
  DEFAULT_CONVERSATIONS_FLOW_NAME,
  defaultFlexFlowName,
  defaultFlexFlowStudioName,
  FLEX_FLOW_CONTACT_IDENTITY,
  flexFlowDrift,
  flexFlowStudioDefinition,
  sameDefinition,
  type FlexFlowSettings,
  type StudioFlowDefinition,
} from './definitions.js';
import { UsageError } from './errors.js';

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

export interface FlexFlowStep {
  resource: 'flex-flow';
  action: Action;
  name: string;
  sid?: string;
  changes: string[];
  settings: FlexFlowSettings;
}

export type Step = StudioFlowStep | FlexFlowStep;

export interface Plan {
  options: SetupOptions;
  /** Existing resources the setup uses and never changes (workspace, workflow, services). */
  found: FoundResource[];
  /** Resources the setup owns, in the order they must be applied. */
  steps: Step[];
  warnings: string[];
  /** flex-flow mode: the channel type provisioned. */
  channelType?: string;
  workspaceSid: string;
  workflowSid: string;
  chatServiceSid?: string;
}

/** Compares what the account has with what the mode needs; reads only. */
export async function planSetup(options: SetupOptions, reader: AccountReader, channelTypes: string[]): Promise<Plan> {
  const found: FoundResource[] = [];
  const warnings: string[] = [];
  const steps: Step[] = [];

  const channelType = options.mode === 'flex-flow' ? chooseChannelType(options.channelType, channelTypes) : undefined;

  const workspace = await reader.workspace(options.workspace);
  found.push(workspace);
  const workflow = await reader.workflow(workspace.sid, options.workflow);
  found.push(workflow);
  const taskChannel = await reader.chatTaskChannel(workspace.sid);
  found.push(taskChannel);
  const sendToFlex = { workflowSid: workflow.sid, taskChannelSid: taskChannel.sid };

  if (options.mode === 'conversations') {
    const service = await reader.conversationsService();
    found.push(service.found);
    if (service.warning) warnings.push(service.warning);
    if (options.route === 'studio') {
      steps.push(await planStudioFlow(reader, options.flowName ?? DEFAULT_CONVERSATIONS_FLOW_NAME, conversationsFlowDefinition(sendToFlex)));
    }
    return { options, found, steps, warnings, workspaceSid: workspace.sid, workflowSid: workflow.sid };
  }

  const chatService = await reader.chatService(options.chatService!);
  found.push(chatService);
  const flowStep = await planStudioFlow(
    reader,
    options.flowName ?? defaultFlexFlowStudioName(channelType!),
    flexFlowStudioDefinition({ ...sendToFlex, channelType: channelType! }),
  );
  steps.push(flowStep);
  const settings: FlexFlowSettings = {
    friendlyName: options.flexFlowName ?? defaultFlexFlowName(channelType!),
    chatServiceSid: chatService.sid,
    channelType: 'custom',
    integrationType: 'studio',
    flowSid: flowStep.sid,
    contactIdentity: FLEX_FLOW_CONTACT_IDENTITY,
    enabled: true,
  };
  const actual = await reader.flexFlow(settings.friendlyName);
  if (!actual) {
    steps.push({ resource: 'flex-flow', action: 'create', name: settings.friendlyName, changes: [], settings });
  } else {
    const changes = flexFlowDrift(actual, settings);
    steps.push({
      resource: 'flex-flow',
      action: changes.length ? 'update' : 'unchanged',
      name: settings.friendlyName,
      sid: actual.sid,
      changes,
      settings,
    });
  }
  warnings.push(
    'flex-flow mode uses Programmable Chat, which reached end of life for Flex on 2026-06-01; Flex UI 2.x handles chat only through Conversations. Prefer: npm run setup -- conversations',
  );
  return {
    options,
    found,
    steps,
    warnings,
    channelType,
    workspaceSid: workspace.sid,
    workflowSid: workflow.sid,
    chatServiceSid: chatService.sid,
  };
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

function chooseChannelType(requested: string | undefined, channelTypes: string[]): string {
  if (requested !== undefined) {
    if (!channelTypes.includes(requested)) throw new UsageError(`Channel type "${requested}" is not in channels.json (it lists: ${channelTypes.join(', ')})`);
    return requested;
  }
  if (channelTypes.length === 1) return channelTypes[0]!;
  throw new UsageError(
    `flex-flow mode provisions one channel type per Flex Flow (the middleware uses one FLEX_FLOW_SID): pass --channel with one of ${channelTypes.join(', ')}`,
  );
}

/** Whether applying the plan would change anything in Twilio. */
export function changesTwilio(plan: Plan): boolean {
  return plan.steps.some((step) => step.action !== 'unchanged');
}
