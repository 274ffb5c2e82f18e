// The upload page: ask the signer for a URL, PUT the file straight to storage with exactly the
// headers the signer returned, then follow the upload to the enforcer's verdict.
(function () {
  'use strict';

  const form = document.getElementById('upload-form');
  const tokenInput = document.getElementById('token');
  const steps = document.getElementById('steps');
  const verdict = document.getElementById('verdict');
  const button = document.getElementById('upload');

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

  async function errorText(response) {
    try {
      const body = await response.json();
      if (body && body.message) return body.message + ' (' + body.error + ')';
    } catch (ignored) { /* not JSON */ }
    return 'HTTP ' + response.status;
  }

  const s3Refusals = {
    403: 'storage refused the upload: the signature does not match what was sent, or the link expired',
    412: 'storage refused the upload: this link was already used',
    400: 'storage refused the upload: the bytes do not match what was signed'
  };

  async function followVerdict(uploadId, token) {
    const deadline = Date.now() + 60000;
    let heldNoted = false;
    while (Date.now() < deadline) {
      const response = await fetch('/uploads/' + encodeURIComponent(uploadId),
        { headers: { 'Authorization': 'Bearer ' + token } });
      if (!response.ok) throw new Error('could not read the upload status: ' + await errorText(response));
      const upload = await response.json();
      if (upload.status === 'scan_pending' && !heldNoted) {
        heldNoted = true;
        step('Held: the malware scanner cannot answer just now; the upload waits for it.');
      }
      if (upload.status !== 'reserved' && upload.status !== 'scan_pending') return upload;
      await new Promise(resolve => setTimeout(resolve, 500));
    }
    throw new Error('no verdict within a minute; the enforcer may be down');
  }

  // Notifications go out after the verdict is booked: give the dispatcher a few seconds.
  async function followBackend(uploadId, token) {
    const deadline = Date.now() + 10000;
    while (Date.now() < deadline) {
      const response = await fetch('/uploads/' + encodeURIComponent(uploadId),
        { headers: { 'Authorization': 'Bearer ' + token } });
      if (!response.ok) return null;
      const backend = (await response.json()).backend;
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

  form.addEventListener('submit', async function (event) {
    event.preventDefault();
    steps.replaceChildren();
    verdict.hidden = true;
    const file = document.getElementById('file').files[0];
    const token = tokenInput.value.trim();
    if (!file) { show('error', 'Pick a file first.'); return; }
    button.disabled = true;
    try {
      const type = file.type || 'application/octet-stream';
      step('Asking for an upload URL for ' + file.name + ' (' + type + ', ' + file.size + ' bytes)…');
      const signed = await fetch('/uploads', {
        method: 'POST',
        headers: { 'Authorization': 'Bearer ' + token, 'Content-Type': 'application/json' },
        body: JSON.stringify({ profile: document.getElementById('profile').value, contentType: type,
          size: file.size, filename: file.name })
      });
      if (!signed.ok) throw new Error('the signer refused: ' + await errorText(signed));
      const ticket = await signed.json();
      step('Got a URL valid until ' + new Date(ticket.expiresAt).toLocaleTimeString() + '. Uploading…');

      const put = await fetch(ticket.url, { method: ticket.method, headers: ticket.headers, body: file });
      if (!put.ok) throw new Error(s3Refusals[put.status] || ('storage answered HTTP ' + put.status));
      step('Uploaded. Waiting for the verdict…');
      show('pending', 'Checking what arrived…');

      const upload = await followVerdict(ticket.uploadId, token);
      if (upload.status === 'accepted') {
        step('Accepted: detected ' + upload.detectedType + ', ' + upload.realSize + ' bytes.');
        show('accepted', 'Accepted');
      } else {
        const reasons = (upload.reasons || [])
          .map(r => r === 'MALWARE' ? 'malware found' + (upload.signatures ? ': ' + upload.signatures.join(', ') : '') : r)
          .join(', ') || 'no reason given';
        step('Rejected (' + reasons + '); detected ' + (upload.detectedType || 'unknown') + '.', true);
        show('rejected', 'Rejected: ' + reasons + (upload.action ? ' (' + upload.action + ')' : ''));
      }
      tellBackend(await followBackend(ticket.uploadId, token));
    } catch (error) {
      step(error.message, true);
      show('error', 'Error: ' + error.message);
    } finally {
      button.disabled = false;
    }
  });
}());
