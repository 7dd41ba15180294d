/** The notification that shows a configuration problem in Flex, and who may see it. */
export const CONFIGURATION_PROBLEM_NOTIFICATION_ID = 'CustomChannelsConfigurationProblem';

/** The manager.strings key of its text; `{{problem}}` names the channel and the field. */
export const CONFIGURATION_PROBLEM_STRING_KEY = 'CustomChannelsConfigurationProblem';

export const CONFIGURATION_PROBLEM_TEMPLATE = 'Custom channels configuration: {{problem}}; skipped.';

/** Flex roles (manager.user.roles) that can fix the Flex configuration. */
export const ROLES_SHOWN_CONFIGURATION_PROBLEMS: readonly string[] = ['admin', 'supervisor'];
