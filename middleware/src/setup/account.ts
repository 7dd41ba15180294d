import { CHAT_TASK_CHANNEL } from '@custom-channels/contract';
import type { TwilioClient } from '../twilio/client.js';
import type { Locator } from './args.js';
import { explainTwilioError, isNotFound, SetupError } from './errors.js';

/**
 * Read-only lookups in the Twilio account. Each failure becomes a SetupError saying what was
 * looked for and what to do; nothing here changes anything.
 */

export interface FoundResource {
  label: string;
  name: string;
  sid: string;
  /** How it was found, when not by the SID given on the command line. */
  via?: string;
}

/** The name Flex gives the Conversations service it reads conversations from. */
export const FLEX_CONVERSATIONS_SERVICE_NAME = 'Flex Conversation Service';

export class AccountReader {
  private flexConfiguration?: Promise<FlexDefaults | undefined>;

  constructor(private readonly client: TwilioClient) {}

  /**
   * Flex's own configuration names its workspace and workflow. Not every
   * account (or the offline stand-in) serves it: then the default friendly names are used.
   */
  flexDefaults(): Promise<FlexDefaults | undefined> {
    this.flexConfiguration ??= call('reading the Flex configuration', async () => {
      try {
        const configuration = await this.client.flexApi.v1.configuration().fetch();
        return {
          workspaceSid: configuration.taskrouterWorkspaceSid || undefined,
          workflowSid: configuration.taskrouterTargetWorkflowSid || undefined,
        };
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    });
    return this.flexConfiguration;
  }

  async workspace(locator: Locator): Promise<FoundResource> {
    const label = 'TaskRouter workspace';
    const workspaces = this.client.taskrouter.v1.workspaces;
    const bySid = async (sid: string, via?: string): Promise<FoundResource> => {
      const workspace = await call(
        `reading ${label} ${sid}`,
        () => workspaces(sid).fetch(),
        () => new SetupError(`${label} ${sid} does not exist in this account: check --workspace, or leave it out to use the Flex workspace`),
      );
      return { label, name: workspace.friendlyName, sid: workspace.sid, via };
    };
    if ('sid' in locator) return bySid(locator.sid);
    if (!locator.explicit) {
      const fromFlex = (await this.flexDefaults())?.workspaceSid;
      if (fromFlex) return bySid(fromFlex, 'Flex configuration');
    }
    const matches = await call(`listing ${label}s`, () => workspaces.list({ friendlyName: locator.name }));
    const exact = matches.filter((workspace) => workspace.friendlyName === locator.name);
    if (exact.length === 1) return { label, name: exact[0]!.friendlyName, sid: exact[0]!.sid, via: 'name' };
    if (exact.length > 1) {
      throw new SetupError(
        `${exact.length} TaskRouter workspaces are named "${locator.name}" (${exact.map((w) => w.sid).join(', ')}): pass the one Flex uses with --workspace WS...`,
      );
    }
    const all = await call(`listing ${label}s`, () => workspaces.list({ limit: 20 }));
    throw new SetupError(
      `No TaskRouter workspace named "${locator.name}" in this account${all.length ? ` (there is ${all.map((w) => `"${w.friendlyName}" ${w.sid}`).join(', ')})` : ' (it has none: is this a Flex account?)'}: pass --workspace WS... or --workspace-name "<name>"`,
    );
  }

  async workflow(workspaceSid: string, locator: Locator): Promise<FoundResource> {
    const label = 'Workflow';
    const workflows = this.client.taskrouter.v1.workspaces(workspaceSid).workflows;
    const bySid = async (sid: string, via?: string): Promise<FoundResource> => {
      const workflow = await call(
        `reading workflow ${sid}`,
        () => workflows(sid).fetch(),
        () => new SetupError(`Workflow ${sid} does not exist in workspace ${workspaceSid}: check --workflow (it must belong to the workspace Flex uses)`),
      );
      return { label, name: workflow.friendlyName, sid: workflow.sid, via };
    };
    if ('sid' in locator) return bySid(locator.sid);
    if (!locator.explicit) {
      const defaults = await this.flexDefaults();
      if (defaults?.workflowSid && defaults.workspaceSid === workspaceSid) return bySid(defaults.workflowSid, 'Flex configuration');
    }
    const matches = await call('listing workflows', () => workflows.list({ friendlyName: locator.name }));
    const exact = matches.filter((workflow) => workflow.friendlyName === locator.name);
    if (exact.length === 1) return { label, name: exact[0]!.friendlyName, sid: exact[0]!.sid, via: 'name' };
    if (exact.length > 1)
      throw new SetupError(`${exact.length} workflows are named "${locator.name}" in workspace ${workspaceSid}: pass one with --workflow WW...`);
    const all = await call('listing workflows', () => workflows.list({ limit: 20 }));
    throw new SetupError(
      `No workflow named "${locator.name}" in workspace ${workspaceSid}${all.length ? ` (there is ${all.map((w) => `"${w.friendlyName}" ${w.sid}`).join(', ')})` : ' (it has none)'}: pass --workflow WW... or --workflow-name "<name>"`,
    );
  }

  async chatTaskChannel(workspaceSid: string): Promise<FoundResource> {
    const channels = await call('listing task channels', () => this.client.taskrouter.v1.workspaces(workspaceSid).taskChannels.list());
    const chat = channels.find((channel) => channel.uniqueName === CHAT_TASK_CHANNEL);
    if (!chat) {
      throw new SetupError(
        `Workspace ${workspaceSid} has no task channel with unique name "${CHAT_TASK_CHANNEL}", which Flex handles chat tasks in: is it the Flex workspace? (Flex creates it; otherwise add it in TaskRouter > Task Channels)`,
      );
    }
    return { label: 'Task channel', name: chat.uniqueName, sid: chat.sid };
  }

  /**
   * The middleware creates conversations in the account's default
   * Conversations service, and Flex only routes conversations of its own service.
   */
  async conversationsService(): Promise<{ found: FoundResource; warning?: string }> {
    const conversations = this.client.conversations.v1;
    const configuration = await call('reading the Conversations configuration', () => conversations.configuration().fetch());
    const defaultSid = configuration.defaultChatServiceSid;
    if (!defaultSid) {
      throw new SetupError(
        'This account has no default Conversations service: enable Flex Conversations (Flex Console > Messaging) so Flex creates its service, then run again',
      );
    }
    const service = await call(`reading Conversations service ${defaultSid}`, () => conversations.services(defaultSid).fetch());
    const found = { label: 'Conversations service (account default)', name: service.friendlyName, sid: service.sid };
    if (service.friendlyName === FLEX_CONVERSATIONS_SERVICE_NAME) return { found };
    const services = await call('listing Conversations services', () => conversations.services.list({ limit: 100 }));
    const flex = services.find((each) => each.friendlyName === FLEX_CONVERSATIONS_SERVICE_NAME);
    if (!flex) return { found };
    return {
      found,
      warning:
        `The account's default Conversations service is "${service.friendlyName}" ${service.sid}, not "${flex.friendlyName}" ${flex.sid}. ` +
        'The middleware creates conversations in the default service, and Flex routes only those of its own: make the Flex service the default ' +
        `(twilio api:conversations:v1:configuration:update --default-chat-service-sid ${flex.sid}) unless you know Flex uses "${service.friendlyName}".`,
    };
  }

  /** The Studio flow with this friendly name, with its definition; undefined when there is none. */
  async studioFlow(friendlyName: string): Promise<{ sid: string; status: string; definition: unknown } | undefined> {
    const flows = await call('listing Studio flows', () => this.client.studio.v2.flows.list());
    const named = flows.filter((flow) => flow.friendlyName === friendlyName);
    if (named.length > 1) {
      throw new SetupError(
        `${named.length} Studio flows are named "${friendlyName}" (${named.map((f) => f.sid).join(', ')}): delete or rename the extra ones, or choose another name with --flow-name`,
      );
    }
    if (named.length === 0) return undefined;
    const flow = await call(`reading Studio flow ${named[0]!.sid}`, () => this.client.studio.v2.flows(named[0]!.sid).fetch());
    return { sid: flow.sid, status: flow.status, definition: flow.definition };
  }

  /** The SID of the Content template with this friendly name; undefined when there is none. */
  async contentTemplateSid(friendlyName: string): Promise<string | undefined> {
    const templates = await call('listing Content templates', () => this.client.content.v1.contents.list());
    const named = templates.filter((template) => template.friendlyName === friendlyName);
    if (named.length > 1) {
      throw new SetupError(
        `${named.length} Content templates are named "${friendlyName}" (${named.map((t) => t.sid).join(', ')}): delete the extra ones (Console > Messaging > Content Template Builder)`,
      );
    }
    return named[0]?.sid;
  }

  /** Flex Flows of the original custom-chat pattern (a Studio flow or a task per Programmable Chat channel), which this kit replaces. */
  async legacyFlexFlows(): Promise<LegacyFlexFlow[]> {
    // An account whose Flex API has no Flex Flows resource (404) has none to report.
    const flexFlows = await call('listing Flex Flows', async () => {
      try {
        return await this.client.flexApi.v1.flexFlow.list();
      } catch (error) {
        if (isNotFound(error)) return [];
        throw error;
      }
    });
    return flexFlows
      .filter((flexFlow) => flexFlow.channelType === 'custom' && (flexFlow.integrationType === 'studio' || flexFlow.integrationType === 'task'))
      .map((flexFlow) => ({ sid: flexFlow.sid, name: flexFlow.friendlyName }));
  }
}

export interface LegacyFlexFlow {
  sid: string;
  name: string;
}

export interface FlexDefaults {
  workspaceSid?: string;
  workflowSid?: string;
}

/** Runs one Twilio call, explaining its failure; `onNotFound` gives a better message for a 404. */
export async function call<T>(doing: string, request: () => Promise<T>, onNotFound?: () => SetupError): Promise<T> {
  try {
    return await request();
  } catch (error) {
    if (onNotFound && isNotFound(error)) throw onNotFound();
    throw explainTwilioError(error, doing);
  }
}
