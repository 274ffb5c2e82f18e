// A `verdictSource` for waitForVerdict from an app that pushes verdicts to its pages over
// Server-Sent Events: each message's data is the upload's status JSON (at least uploadId and status).
export function eventSourceVerdicts(url, { EventSourceImpl = globalThis.EventSource } = {}) {
  return (uploadId, { signal } = {}) => new Promise(resolve => {
    const source = new EventSourceImpl(url);
    const close = () => source.close();
    signal && signal.addEventListener('abort', close, { once: true });
    source.onmessage = event => {
      let upload = null;
      try { upload = JSON.parse(event.data); } catch { return; }
      if (upload && upload.uploadId === uploadId && upload.status !== 'reserved' && upload.status !== 'scan_pending') {
        close();
        resolve(upload);
      }
    };
  });
}
