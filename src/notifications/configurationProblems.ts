import type * as Flex from '@twilio/flex-ui';
import {
  CONFIGURATION_PROBLEM_NOTIFICATION_ID,
  CONFIGURATION_PROBLEM_STRING_KEY,
  CONFIGURATION_PROBLEM_TEMPLATE,
  ROLES_SHOWN_CONFIGURATION_PROBLEMS,
} from './config';

/** Problems already shown in this page's Flex session: a re-init must not repeat them. */
const shownThisSession = new Set<string>();

/**
 * Shows each configuration problem once per session as a Flex notification, to workers who can
 * fix the Flex configuration; for everyone else the problem stays on the browser console.
 */
export function notifyConfigurationProblems(flex: typeof Flex, manager: Flex.Manager, problems: string[]): void {
  const unseen = problems.filter((problem) => !shownThisSession.has(problem));
  if (unseen.length === 0 || !canFixConfiguration(manager)) return;
  registerNotificationOnce(flex, manager);
  for (const problem of unseen) {
    flex.Notifications.showNotification(CONFIGURATION_PROBLEM_NOTIFICATION_ID, { problem });
    shownThisSession.add(problem);
  }
}

function canFixConfiguration(manager: Flex.Manager): boolean {
  return workerRoles(manager).some((role) => ROLES_SHOWN_CONFIGURATION_PROBLEMS.includes(role));
}

/** Flex's user getter throws before login (no token payload yet): no roles then. */
function workerRoles(manager: Flex.Manager): string[] {
  try {
    const roles: unknown = manager.user.roles;
    return Array.isArray(roles) ? roles.filter((role): role is string => typeof role === 'string') : [];
  } catch {
    return [];
  }
}

function registerNotificationOnce(flex: typeof Flex, manager: Flex.Manager): void {
  if (flex.Notifications.registeredNotifications.has(CONFIGURATION_PROBLEM_NOTIFICATION_ID)) return;
  const strings: Record<string, string> = { [CONFIGURATION_PROBLEM_STRING_KEY]: CONFIGURATION_PROBLEM_TEMPLATE };
  manager.strings = { ...manager.strings, ...strings };
  flex.Notifications.registerNotification({
    id: CONFIGURATION_PROBLEM_NOTIFICATION_ID,
    content: CONFIGURATION_PROBLEM_STRING_KEY,
    type: flex.NotificationType.warning,
    // Stays until dismissed: the admin must read which field to fix.
    timeout: 0,
    closeButton: true,
  });
}
