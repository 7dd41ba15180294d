/**
 * Checks a flow definition the way Studio does when a flow is created, updated or validated:
 * the flow-definition JSON schema (`states`, `initial_state`, `flags`), unique widget names,
 * transitions that name existing widgets, and, for the widgets a chat bot uses, the properties
 * and transition events their widget schemas require. Answers the problems found, none when valid.
 */

type Json = Record<string, unknown>;

interface WidgetRule {
  events: readonly string[];
  /** Properties that must be non-empty strings. */
  required: readonly string[];
  /** Properties a message widget needs only when it sends text, not a Content template. */
  textOnly?: readonly string[];
  check?: (widget: Json, props: Json) => string[];
}

const TRIGGER_EVENTS = ['incomingMessage', 'incomingCall', 'incomingConversationMessage', 'incomingRequest', 'incomingParent'];

const CONDITION_TYPES = new Set([
  'equal_to',
  'not_equal_to',
  'matches_any_of',
  'does_not_match_any_of',
  'is_blank',
  'is_not_blank',
  'regex',
  'contains',
  'starts_with',
  'less_than',
  'greater_than',
  'is_before_time',
  'is_after_time',
  'is_before_date',
  'is_after_date',
]);

/** Widgets whose behaviour the stand-in emulates, with what their schemas require. */
const EMULATED: Record<string, WidgetRule> = {
  trigger: { events: TRIGGER_EVENTS, required: [] },
  'send-message': { events: ['sent', 'failed'], required: [], textOnly: ['body'], check: checkContent },
  'send-and-wait-for-reply': {
    events: ['incomingMessage', 'timeout', 'deliveryFailure'],
    required: ['from', 'timeout'],
    textOnly: ['body'],
    check: (widget, props) => [...checkTimeout(widget, props), ...checkContent(widget, props)],
  },
  'split-based-on': { events: ['match', 'noMatch'], required: ['input'], check: checkConditions },
  'set-variables': { events: ['next'], required: [], check: checkVariables },
  'send-to-flex': { events: ['callComplete', 'failedToEnqueue', 'callFailure'], required: ['workflow', 'channel'] },
  'run-function': { events: ['success', 'fail'], required: ['url'] },
  'make-http-request': { events: ['success', 'failed'], required: ['method', 'content_type', 'url'] },
};

/** Studio widgets for voice and other products: accepted, not run by the stand-in. */
const OTHER_WIDGET_TYPES = new Set([
  'say-play',
  'gather-input-on-call',
  'connect-call-to',
  'enqueue-call',
  'record-voicemail',
  'record-call',
  'make-outgoing-call',
  'make-outgoing-call-v2',
  'start-conversation',
  'add-twiml-redirect',
  'capture-payments',
  'fork-stream',
  'connect-virtual-agent',
  'run-subflow',
  'send-to-autopilot',
]);

const MAX_STATES = 1000;

export function flowDefinitionProblems(definition: unknown): string[] {
  if (!isObject(definition)) return ['the definition must be a JSON object'];
  const problems: string[] = [];
  if (typeof definition.initial_state !== 'string' || definition.initial_state === '') problems.push("'initial_state' must be a non-empty string");
  if (!isObject(definition.flags) || typeof definition.flags.allow_concurrent_calls !== 'boolean')
    problems.push("'flags.allow_concurrent_calls' must be a boolean");
  if (definition.description !== undefined && typeof definition.description !== 'string') problems.push("'description' must be a string");
  const states = definition.states;
  if (!Array.isArray(states) || states.length === 0 || states.length > MAX_STATES) {
    problems.push(`'states' must be an array of 1 to ${MAX_STATES} widgets`);
    return problems;
  }
  const names = new Set<string>();
  for (const [index, state] of states.entries()) {
    if (!isObject(state) || typeof state.name !== 'string' || state.name === '') {
      problems.push(`states[${index}] needs a non-empty 'name'`);
      continue;
    }
    if (names.has(state.name)) problems.push(`widget name '${state.name}' is used twice`);
    names.add(state.name);
  }
  for (const state of states.filter(isObject)) problems.push(...widgetProblems(state, names));
  const triggers = states.filter((s) => isObject(s) && s.type === 'trigger') as Json[];
  if (triggers.length !== 1) problems.push('a flow has exactly one trigger widget');
  else if (typeof definition.initial_state === 'string' && triggers[0]!.name !== definition.initial_state) {
    problems.push(`'initial_state' must name the trigger widget ('${String(triggers[0]!.name)}')`);
  }
  return problems;
}

function widgetProblems(widget: Json, names: Set<string>): string[] {
  const label = `widget '${String(widget.name)}'`;
  const type = widget.type;
  if (typeof type !== 'string') return [`${label} needs a 'type'`];
  const rule = EMULATED[type];
  if (!rule && !OTHER_WIDGET_TYPES.has(type)) return [`${label} has an unknown type '${type}'`];
  const problems: string[] = [];
  const transitions = widget.transitions;
  if (!Array.isArray(transitions)) return [`${label} needs a 'transitions' array`];
  for (const transition of transitions) {
    if (!isObject(transition) || typeof transition.event !== 'string') {
      problems.push(`${label} has a transition without an 'event'`);
      continue;
    }
    if (rule && !rule.events.includes(transition.event)) problems.push(`${label} has no transition event '${transition.event}' (${rule.events.join(', ')})`);
    if (transition.next !== undefined && (typeof transition.next !== 'string' || !names.has(transition.next))) {
      problems.push(`${label} transitions to '${String(transition.next)}', which is not a widget of this flow`);
    }
  }
  if (!rule) return problems;
  const props = isObject(widget.properties) ? widget.properties : undefined;
  if (!props) return [...problems, `${label} needs 'properties'`];
  const required = isContentMessage(props) ? rule.required : [...rule.required, ...(rule.textOnly ?? [])];
  for (const key of required) {
    if (typeof props[key] !== 'string' || props[key] === '') problems.push(`${label} needs the property '${key}'`);
  }
  return [...problems, ...(rule.check?.(widget, props).map((p) => `${label} ${p}`) ?? [])];
}

function checkTimeout(_widget: Json, props: Json): string[] {
  return typeof props.timeout === 'string' && !/^\d+$/.test(props.timeout) ? ["has a 'timeout' that is not a whole number of seconds"] : [];
}

/** The message widgets' way of sending a Content template instead of a body. */
export const CONTENT_TEMPLATE_MESSAGE_TYPE = 'content_template';

const CONTENT_SID = /^HX[0-9a-fA-F]{32}$/;

export function isContentMessage(props: Json): boolean {
  return props.message_type === CONTENT_TEMPLATE_MESSAGE_TYPE;
}

/** A Content template message names its template (`content_sid`) and, optionally, values for its variables. */
function checkContent(_widget: Json, props: Json): string[] {
  if (props.message_type !== undefined && typeof props.message_type !== 'string') return ["has a 'message_type' that is not a string"];
  if (!isContentMessage(props)) return [];
  const problems: string[] = [];
  if (typeof props.content_sid !== 'string' || !CONTENT_SID.test(props.content_sid)) {
    problems.push("sends a Content template and needs 'content_sid', the template's SID (HX...)");
  }
  const variables = props.content_variables;
  if (
    variables !== undefined &&
    (!Array.isArray(variables) || !variables.every((v) => isObject(v) && typeof v.key === 'string' && v.key !== '' && typeof v.value === 'string'))
  ) {
    problems.push("has 'content_variables' that are not a list of { key, value } strings");
  }
  return problems;
}

function checkVariables(_widget: Json, props: Json): string[] {
  if (props.variables === undefined) return [];
  if (!Array.isArray(props.variables)) return ["has 'variables' that are not an array"];
  return props.variables.every((v) => isObject(v) && typeof v.key === 'string' && v.key !== '') ? [] : ["has a variable without a 'key'"];
}

function checkConditions(widget: Json, _props: Json): string[] {
  const problems: string[] = [];
  for (const transition of (widget.transitions as unknown[]).filter(isObject)) {
    if (transition.event !== 'match') continue;
    const conditions = transition.conditions;
    if (!Array.isArray(conditions) || conditions.length === 0) {
      problems.push("has a 'match' transition without 'conditions'");
      continue;
    }
    for (const condition of conditions) {
      if (!isObject(condition) || typeof condition.friendly_name !== 'string' || !Array.isArray(condition.arguments) || typeof condition.value !== 'string') {
        problems.push("has a condition without 'friendly_name', 'arguments' and 'value'");
      } else if (typeof condition.type !== 'string' || !CONDITION_TYPES.has(condition.type)) {
        problems.push(`has a condition of unknown type '${String(condition.type)}'`);
      }
    }
  }
  return problems;
}

function isObject(value: unknown): value is Json {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}
