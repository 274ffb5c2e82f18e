// PUTs bytes to storage. XMLHttpRequest where there is one, because fetch still reports no upload
// progress; fetch elsewhere (Node.js, workers). Resolves with {status, etag}; a broken connection
// resolves with status 0 so that the caller decides whether to retry.
import { abortError } from './errors.js';

export function putBytes(url, headers, body, { onProgress, signal } = {}) {
  if (typeof XMLHttpRequest === 'undefined') return putWithFetch(url, headers, body, signal);
  return new Promise((resolve, reject) => {
    if (signal && signal.aborted) { reject(abortError(signal)); return; }
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    for (const [name, value] of Object.entries(headers || {})) xhr.setRequestHeader(name, value);
    if (onProgress) xhr.upload.onprogress = event => onProgress(event.loaded);
    const onAbort = () => xhr.abort();
    signal && signal.addEventListener('abort', onAbort, { once: true });
    const done = result => { signal && signal.removeEventListener('abort', onAbort); resolve(result); };
    xhr.onload = () => done({ status: xhr.status, etag: xhr.getResponseHeader('ETag') });
    xhr.onerror = () => done({ status: 0, etag: null });
    xhr.ontimeout = () => done({ status: 0, etag: null });
    xhr.onabort = () => { signal && signal.removeEventListener('abort', onAbort); reject(abortError(signal)); };
    xhr.send(body);
  });
}

async function putWithFetch(url, headers, body, signal) {
  try {
    const response = await fetch(url, { method: 'PUT', headers, body, signal, duplex: 'half' });
    return { status: response.status, etag: response.headers.get('ETag') };
  } catch (error) {
    if (signal && signal.aborted) throw abortError(signal);
    return { status: 0, etag: null };
  }
}
