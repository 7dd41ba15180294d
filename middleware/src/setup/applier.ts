import type { TwilioClient } from '../twilio/client.js';
import { call } from './account.js';
import { SETUP_COMMIT_MESSAGE } from './definitions.js';
import type { EnvEdit } from './env-file.js';
import type { Plan } from './planner.js';

/** The SIDs of the resources the setup owns, once they exist. */
export interface Provisioned {
  studioFlowSid?: string;
  flexFlowSid?: string;
}

/** Carries out the plan's create and update steps, in order; unchanged resources are not touched. */
export async function applyPlan(client: TwilioClient, plan: Plan): Promise<Provisioned> {
  const provisioned: Provisioned = {};
  for (const step of plan.steps) {
    if (step.resource === 'studio-flow') {
      const flows = client.studio.v2.flows;
      if (step.action === 'create') {
        const flow = await call(`creating Studio flow "${step.name}"`, () =>
          flows.create({
            friendlyName: step.name,
            status: 'published',
            definition: step.definition,
            commitMessage: SETUP_COMMIT_MESSAGE,
          }),
        );
        provisioned.studioFlowSid = flow.sid;
      } else if (step.action === 'update') {
        await call(`updating Studio flow ${step.sid}`, () =>
          flows(step.sid!).update({
            status: 'published',
            definition: step.definition,
            commitMessage: `${SETUP_COMMIT_MESSAGE} (repaired: ${step.changes.join(', ')})`,
          }),
        );
        provisioned.studioFlowSid = step.sid;
      } else {
        provisioned.studioFlowSid = step.sid;
      }
      continue;
    }
    const settings = step.settings;
    const flowSid = settings.flowSid ?? provisioned.studioFlowSid;
    const params = {
      chatServiceSid: settings.chatServiceSid,
      channelType: settings.channelType,
      integrationType: settings.integrationType,
      'integration.flowSid': flowSid,
      contactIdentity: settings.contactIdentity,
      enabled: settings.enabled,
    };
    if (step.action === 'create') {
      const flexFlow = await call(`creating Flex Flow "${step.name}"`, () =>
        client.flexApi.v1.flexFlow.create({ friendlyName: settings.friendlyName, ...params }),
      );
      provisioned.flexFlowSid = flexFlow.sid;
    } else if (step.action === 'update') {
      await call(`updating Flex Flow ${step.sid}`, () => client.flexApi.v1.flexFlow(step.sid!).update(params));
      provisioned.flexFlowSid = step.sid;
    } else {
      provisioned.flexFlowSid = step.sid;
    }
  }
  return provisioned;
}

export const PENDING_STUDIO_FLOW_SID = '<SID of the new Studio flow>';
export const PENDING_FLEX_FLOW_SID = '<SID of the new Flex Flow>';

/** The middleware's variables for this mode (names as in src/config/load-config.ts). */
export function envEditFor(plan: Plan, provisioned: Provisioned): EnvEdit {
  if (plan.options.mode === 'flex-flow') {
    return {
      set: {
        FLEX_MODE: 'flex-flow',
        FLEX_FLOW_SID: provisioned.flexFlowSid ?? PENDING_FLEX_FLOW_SID,
        FLEX_CHAT_SERVICE_SID: plan.chatServiceSid!,
      },
      disable: [],
    };
  }
  if (plan.options.route === 'studio') {
    const reason = 'with it set the middleware routes through the Interactions API, not the Studio flow';
    return {
      set: { FLEX_MODE: 'conversations', STUDIO_FLOW_SID: provisioned.studioFlowSid ?? PENDING_STUDIO_FLOW_SID },
      disable: [
        { key: 'TWILIO_WORKSPACE_SID', reason },
        { key: 'TWILIO_WORKFLOW_SID', reason },
      ],
    };
  }
  return {
    set: { FLEX_MODE: 'conversations', TWILIO_WORKSPACE_SID: plan.workspaceSid, TWILIO_WORKFLOW_SID: plan.workflowSid },
    disable: [{ key: 'STUDIO_FLOW_SID', reason: 'the middleware routes through the Interactions API (--route interactions)' }],
  };
}

/** The SIDs already known before applying (those of existing resources). */
export function existingSids(plan: Plan): Provisioned {
  const sids: Provisioned = {};
  for (const step of plan.steps) {
    if (step.resource === 'studio-flow') sids.studioFlowSid = step.sid;
    else sids.flexFlowSid = step.sid;
  }
  return sids;
}
