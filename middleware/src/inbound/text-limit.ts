/** Flex's chat limit: the longest message text, in characters (code points). A module of its own so that the browser's widget can share it. */
export const MAX_TEXT_LENGTH = 32_768;
