/**
 * The page bundled for the browser with the real Flex UI: the preview of the channels, or
 * the demo's live agent view, as the page's data-page attribute says.
 */
import { startAgentView } from '../agent-flex/agent-page.js';
import { startPreview } from './preview-page.js';

const start = document.body.dataset.page === 'agent' ? startAgentView : startPreview;
start().catch((error: unknown) => {
  document.body.setAttribute('data-error', String(error));
});
