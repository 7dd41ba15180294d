/** The optional variable that lets agents answer for 7 days with the HUMAN_AGENT tag (the app needs Meta's Human Agent permission). */
export const HUMAN_AGENT_OPTION = 'HUMAN_AGENT_TAG';

/** The optional variable naming the Instagram professional account the channel answers for. */
export const ACCOUNT_ID_OPTION = 'ACCOUNT_ID';
