// The views an agent opens after the first frame: loaded as their own bundle chunk (see
// lazy-views.ts), so start-up does not parse them.
export { InteractionWindow } from './call/interaction-window.js';
export { GenesysCallbackForm } from './callback/genesys-callback-form.js';
export { RescheduleView } from './call/reschedule-view.js';
export { WebRescheduleView } from './callback/web-callback-window.js';
