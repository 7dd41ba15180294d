import type { TwilioClient } from '../twilio/client.js';
import { call } from './account.js';
import { SETUP_COMMIT_MESSAGE } from './definitions.js';
import type { EnvEdit } from './env-file.js';
import type { StudioFlowDefinition } from './definitions.js';
import { PENDING_CONTENT_SID, type Plan } from './planner.js';

/** The SIDs of the resources the setup owns, once they exist. */
export interface Provisioned {
  studioFlowSid?: string;
}

/** Carries out the plan's create and update steps, in order; unchanged resources are not touched. */
export async function applyPlan(client: TwilioClient, plan: Plan): Promise<Provisioned> {
  const provisioned: Provisioned = {};
  const flows = client.studio.v2.flows;
  let contentSid: string | undefined;
  for (const planned of plan.steps) {
    if (planned.resource === 'content-template') {
      contentSid =
        planned.sid ?? (await call(`creating Content template "${planned.name}"`, () => client.content.v1.contents.create(planned.template as never))).sid;
      continue;
    }
    const step = contentSid ? { ...planned, definition: withContentSid(planned.definition, contentSid) } : planned;
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
  }
  return provisioned;
}

/** The flow definition with the SID of the Content template created before it in place of the placeholder. */
function withContentSid(definition: StudioFlowDefinition, sid: string): StudioFlowDefinition {
  return JSON.parse(JSON.stringify(definition).replaceAll(PENDING_CONTENT_SID, sid)) as StudioFlowDefinition;
}

export const PENDING_STUDIO_FLOW_SID = '<SID of the new Studio flow>';

/** Variables of the removed flex-flow mode, which the middleware no longer reads. */
const RETIRED = ['FLEX_MODE', 'FLEX_FLOW_SID', 'FLEX_CHAT_SERVICE_SID'].map((key) => ({
  key,
  reason: 'the flex-flow mode was removed; the middleware no longer reads it',
}));

/** The middleware's variables for the chosen route (names as in src/config/load-config.ts). */
export function envEditFor(plan: Plan, provisioned: Provisioned): EnvEdit {
  if (plan.options.route === 'studio') {
    const reason = 'with it set the middleware routes through the Interactions API, not the Studio flow';
    return {
      set: { STUDIO_FLOW_SID: provisioned.studioFlowSid ?? PENDING_STUDIO_FLOW_SID },
      disable: [{ key: 'TWILIO_WORKSPACE_SID', reason }, { key: 'TWILIO_WORKFLOW_SID', reason }, ...RETIRED],
    };
  }
  return {
    set: { TWILIO_WORKSPACE_SID: plan.workspaceSid, TWILIO_WORKFLOW_SID: plan.workflowSid },
    disable: [{ key: 'STUDIO_FLOW_SID', reason: 'the middleware routes through the Interactions API (--route interactions)' }, ...RETIRED],
  };
}

/** The SIDs already known before applying (those of existing resources). */
export function existingSids(plan: Plan): Provisioned {
  const sids: Provisioned = {};
  for (const step of plan.steps) if (step.resource === 'studio-flow') sids.studioFlowSid = step.sid;
  return sids;
}
