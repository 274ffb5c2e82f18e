// The upload page: a thin script over @uploadguard/client (served from /assets/client/, copied at
// build time from clients/js). The client asks the signer for a grant, sends the file straight to
// storage (one PUT, or parts in parallel with retries, resumable after a reload) and follows the
// upload to the enforcer's verdict; this page only shows what happens.
import { UploadGuardClient } from './client/index.js';

const form = document.getElementById('upload-form');
const tokenInput = document.getElementById('token');
const steps = document.getElementById('steps');
const verdict = document.getElementById('verdict');
const button = document.getElementById('upload');
const progressLine = document.getElementById('progress-line');
const progressBar = document.getElementById('progress');
const progressText = document.getElementById('progress-text');

// The launcher links to this page with #token=...: a fragment never reaches a server or its logs.
const fragment = new URLSearchParams(window.location.hash.slice(1));
if (fragment.get('token')) {
  tokenInput.value = fragment.get('token');
  history.replaceState(null, '', window.location.pathname);
}

function step(text, isError) {
  const li = document.createElement('li');
  li.textContent = text;
  if (isError) li.className = 'error';
  steps.appendChild(li);
}

function show(kind, text) {
  verdict.hidden = false;
  verdict.className = 'verdict ' + kind;
  verdict.dataset.status = kind;
  verdict.textContent = text;
}

function showProgress({ loaded, total }) {
  const percent = total ? Math.floor(loaded * 100 / total) : 100;
  progressLine.hidden = false;
  progressBar.value = percent;
  progressBar.dataset.percent = String(percent);
  progressText.textContent = percent + ' % (' + loaded + ' of ' + total + ' bytes)';
}

// Notifications go out after the verdict is booked: give the dispatcher a few seconds.
async function followBackend(client, uploadId) {
  const deadline = Date.now() + 10000;
  while (Date.now() < deadline) {
    const backend = (await client.status(uploadId).catch(() => ({}))).backend;
    if (backend && (backend.delivered > 0 || backend.failed > 0)) return backend;
    await new Promise(resolve => setTimeout(resolve, 500));
  }
  return null;
}

function tellBackend(backend) {
  if (backend && backend.delivered > 0) {
    step('Your backend was told (' + backend.delivered + ' notification'
      + (backend.delivered === 1 ? '' : 's') + ' delivered).');
  } else if (backend) {
    step('Telling your backend failed; an operator can redeliver it from the admin API.', true);
  } else {
    step('No backend has been told yet (no notification channel, or delivery still retrying).');
  }
}

function tellVerdict(upload) {
  if (upload.status === 'accepted') {
    step('Accepted: detected ' + upload.detectedType + ', ' + upload.realSize + ' bytes.');
    show('accepted', 'Accepted');
    return;
  }
  const reasons = (upload.reasons || [])
    .map(r => r === 'MALWARE' ? 'malware found' + (upload.signatures ? ': ' + upload.signatures.join(', ') : '') : r)
    .join(', ') || upload.status;
  step('Rejected (' + reasons + '); detected ' + (upload.detectedType || 'unknown') + '.', true);
  show('rejected', 'Rejected: ' + reasons + (upload.action ? ' (' + upload.action + ')' : ''));
}

// says once that the malware scanner holds the upload (it waits for it)
function held() {
  let noted = false;
  return upload => {
    if (upload.status === 'scan_pending' && !noted) {
      noted = true;
      step('Held: the malware scanner cannot answer just now; the upload waits for it.');
    }
  };
}

form.addEventListener('submit', async event => {
  event.preventDefault();
  steps.replaceChildren();
  verdict.hidden = true;
  progressLine.hidden = true;
  const file = document.getElementById('file').files[0];
  if (!file) { show('error', 'Pick a file first.'); return; }
  button.disabled = true;
  const client = new UploadGuardClient({ token: tokenInput.value.trim() });
  try {
    const type = file.type || 'application/octet-stream';
    step('Uploading ' + file.name + ' (' + type + ', ' + file.size + ' bytes) with a signed URL…');
    const { uploadId, method } = await client.upload(file, {
      profile: document.getElementById('profile').value,
      onProgress: showProgress,
      onResume: r => step('Resuming upload ' + r.uploadId + ': storage already holds ' + r.partsStored
        + ' of ' + r.partCount + ' parts.'),
      onRetry: r => step('Part ' + r.partNumber + ' failed (' + (r.status ? 'HTTP ' + r.status : 'connection cut')
        + '); sending it again (attempt ' + (r.attempt + 1) + ').'),
    });
    step(method === 'MULTIPART' ? 'All parts stored; the signer completed the upload. Waiting for the verdict…'
      : 'Uploaded. Waiting for the verdict…');
    show('pending', 'Checking what arrived…');
    const upload = await client.waitForVerdict(uploadId, {
      timeoutMs: 60000,
      onStatus: held(),
    });
    tellVerdict(upload);
    tellBackend(await followBackend(client, uploadId));
  } catch (error) {
    const text = error.code && error.status ? error.message + ' (' + error.code + ')' : error.message;
    step(text, true);
    show('error', 'Error: ' + text);
  } finally {
    button.disabled = false;
  }
});

