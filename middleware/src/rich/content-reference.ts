/** A message's Content template and the values of its variables. */
export interface ContentReference {
  sid: string;
  variables: Record<string, string>;
}

/** The attribute a message's variables travel in: Twilio's webhook carries `ContentSid`, not `ContentVariables`. */
export const CONTENT_VARIABLES_ATTRIBUTE = 'contentVariables';

/**
 * The template a message names, with the variables its attributes carry (string values only;
 * anything else, or attributes that are not JSON, leaves the template's defaults in place).
 */
export function contentReferenceOf(contentSid: string, attributes: string | undefined): ContentReference {
  let variables: Record<string, string> = {};
  try {
    const parsed = JSON.parse(attributes ?? '{}') as Record<string, unknown> | null;
    const raw = parsed?.[CONTENT_VARIABLES_ATTRIBUTE];
    // Either an object, or a JSON string as Twilio's own ContentVariables parameter takes.
    const given: unknown = typeof raw === 'string' ? JSON.parse(raw) : raw;
    if (typeof given === 'object' && given !== null && !Array.isArray(given)) {
      variables = Object.fromEntries(Object.entries(given).filter((e): e is [string, string] => typeof e[1] === 'string'));
    }
  } catch {
    variables = {};
  }
  return { sid: contentSid, variables };
}
