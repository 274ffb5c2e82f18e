// Every failure the client reports is an UploadGuardError: `code` is the signer's stable `error`
// code (e.g. `too_large`, `rate_limited`, `parts_missing`) or one of the client's own
// (`network_error`, `storage_refused`, `aborted`, `verdict_timeout`, `bad_grant`).

export class UploadGuardError extends Error {
  constructor(code, message, { status = 0, retryAfterMs = null, cause } = {}) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'UploadGuardError';
    this.code = code;
    this.status = status;
    this.retryAfterMs = retryAfterMs;
  }
}

/** The error a refusing signer response stands for: its JSON `{error, message}` when it has one. */
export async function signerError(response) {
  let body = null;
  try {
    body = await response.json();
  } catch { /* not JSON: a proxy's page, or nothing */ }
  const code = body && typeof body.error === 'string' ? body.error : 'http_' + response.status;
  const message = body && typeof body.message === 'string' ? body.message : 'the signer answered HTTP ' + response.status;
  return new UploadGuardError(code, message, { status: response.status, retryAfterMs: retryAfter(response) });
}

const storageRefusals = {
  400: 'the bytes do not match what was signed',
  403: 'the signature does not match what was sent, or the link expired',
  412: 'this link was already used',
};

/** Storage (S3) refused a PUT: S3's own codes are XML, so the client names the likely reason. */
export function storageError(status) {
  return new UploadGuardError('storage_refused',
    'storage refused the upload: ' + (storageRefusals[status] || 'HTTP ' + status), { status });
}

export function abortError(signal) {
  if (signal && signal.reason instanceof UploadGuardError) return signal.reason;
  return new UploadGuardError('aborted', 'the upload was aborted');
}

function retryAfter(response) {
  const value = response.headers && response.headers.get && response.headers.get('Retry-After');
  const seconds = Number(value);
  return value != null && Number.isFinite(seconds) ? seconds * 1000 : null;
}
