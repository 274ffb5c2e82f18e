// @uploadguard/client: direct-to-storage uploads through an UploadGuard signer, from a browser.
export { UploadGuardClient } from './client.js';
export { UploadGuardError } from './errors.js';
export { backoffDelay, partRange, partsToSend, resumeKey } from './plan.js';
export { eventSourceVerdicts } from './verdicts.js';
