/** Flex marks an ended chat by setting the Programmable Chat channel's attributes.status to INACTIVE. */
export function isInactive(attributes: string | null | undefined): boolean {
  try {
    const parsed = JSON.parse(attributes ?? '{}') as { status?: unknown };
    return typeof parsed.status === 'string' && parsed.status.toUpperCase() === 'INACTIVE';
  } catch {
    return false;
  }
}
