// Sends the parts of a multipart grant: `concurrency` parts at a time, each retried with back-off,
// URLs minted in pages as the parts come up, and nothing sent twice that S3 already holds.
import { UploadGuardError, abortError, storageError } from './errors.js';
import { backoffDelay, nextBatch, partRange, retryable } from './plan.js';

const URL_MARGIN_MS = 30000;

/**
 * @param api        {mintParts(uploadId, partNumbers) -> {parts, partUrlsExpireAt}}
 * @param plan       {uploadId, size, partSize, partCount, pageSize, parts?, partUrlsExpireAt?}
 * @param todo       part numbers to send, ascending
 */
export async function sendParts(api, file, plan, todo, options = {}) {
  const { concurrency = 4, retries = 3, signal, onProgress, putBytes, sleep = delay, onPartDone, onRetry } = options;
  const urls = new Map();
  let urlsExpireAt = Date.parse(plan.partUrlsExpireAt || 0) || 0;
  for (const part of plan.parts || []) urls.set(part.partNumber, part);
  const inFlight = new Map();
  let doneBytes = plan.size - todo.reduce((sum, n) => sum + size(n), 0);
  let minting = null;
  const report = () => onProgress && onProgress(doneBytes + [...inFlight.values()].reduce((a, b) => a + b, 0));

  function size(n) {
    const { start, end } = partRange(n, plan.partSize, plan.size);
    return end - start;
  }

  async function urlFor(n, fresh) {
    for (;;) {
      const usable = urls.has(n) && Date.now() < urlsExpireAt - URL_MARGIN_MS;
      if (usable && !fresh) return urls.get(n);
      if (minting) { await minting; fresh = false; continue; }
      const batch = fresh ? [n] : nextBatch(todo, n, plan.pageSize, m => urls.has(m) && m !== n);
      minting = mint(batch.length ? batch : [n]).finally(() => { minting = null; });
      await minting;
      return urls.get(n);
    }
  }

  async function mint(numbers) {
    for (let attempt = 1; ; attempt++) {
      try {
        const page = await api.mintParts(plan.uploadId, numbers, signal);
        for (const part of page.parts) urls.set(part.partNumber, part);
        urlsExpireAt = Date.parse(page.partUrlsExpireAt) || Date.now() + 60000;
        return;
      } catch (error) {
        if (error.code !== 'rate_limited' && error.code !== 'network_error' || attempt > retries) throw error;
        await sleep(error.retryAfterMs ?? backoffDelay(attempt), signal);
      }
    }
  }

  async function sendPart(n) {
    const { start, end } = partRange(n, plan.partSize, plan.size);
    for (let attempt = 0; ; attempt++) {
      if (signal && signal.aborted) throw abortError(signal);
      const part = await urlFor(n, attempt > 0);
      inFlight.set(n, 0);
      const result = await putBytes(part.url, part.headers, file.slice(start, end), {
        signal, onProgress: loaded => { inFlight.set(n, loaded); report(); },
      }).finally(() => inFlight.delete(n));
      if (result.status >= 200 && result.status < 300) {
        doneBytes += end - start;
        report();
        onPartDone && onPartDone(n);
        return;
      }
      report();
      if (!retryable(result.status) || attempt >= retries) {
        const error = result.status === 0
          ? new UploadGuardError('network_error', 'part ' + n + ': the connection broke ' + (attempt + 1) + ' times')
          : storageError(result.status);
        error.partNumber = n;
        throw error;
      }
      onRetry && onRetry({ partNumber: n, attempt: attempt + 1, status: result.status });
      await sleep(backoffDelay(attempt + 1), signal);
    }
  }

  const queue = [...todo];
  let failure = null;
  async function worker() {
    while (queue.length && !failure) {
      const n = queue.shift();
      try { await sendPart(n); } catch (error) { failure = failure || error; }
    }
  }
  report();
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, todo.length)) }, worker));
  if (failure) throw failure;
}

export function delay(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal && signal.aborted) { reject(abortError(signal)); return; }
    const timer = setTimeout(() => { signal && signal.removeEventListener('abort', onAbort); resolve(); }, ms);
    const onAbort = () => { clearTimeout(timer); reject(abortError(signal)); };
    signal && signal.addEventListener('abort', onAbort, { once: true });
  });
}
