// The pure logic of a multipart upload, kept apart so it is unit-tested without a network: the
// byte range of each part, which parts still need sending after a resume, the back-off between
// retries, and the key a resumable upload is remembered by.

/** Byte range [start, end) of part `partNumber` (1-based) of a file of `size` bytes. */
export function partRange(partNumber, partSize, size) {
  const start = (partNumber - 1) * partSize;
  return { start, end: Math.min(start + partSize, size) };
}

/**
 * Part numbers still to send: every part 1..partCount that S3 does not already hold with exactly
 * its planned size (a part cut short would be refused at completion, so it is sent again).
 */
export function partsToSend({ size, partSize, partCount }, uploaded = []) {
  const done = new Set();
  for (const part of uploaded) {
    const { start, end } = partRange(part.partNumber, partSize, size);
    if (part.partNumber >= 1 && part.partNumber <= partCount && part.size === end - start) done.add(part.partNumber);
  }
  const todo = [];
  for (let n = 1; n <= partCount; n++) if (!done.has(n)) todo.push(n);
  return todo;
}

/** Milliseconds to wait before retry `attempt` (1-based): exponential, capped, with jitter. */
export function backoffDelay(attempt, { baseMs = 500, maxMs = 8000, random = Math.random } = {}) {
  const ceiling = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + random() * ceiling / 2);
}

/** Whether a failed part is worth another try: the connection broke, storage hiccuped, or the URL aged. */
export function retryable(status) {
  return status === 0 || status === 403 || status === 408 || status === 429 || status >= 500;
}

/** The key a resumable upload is remembered by: the same file picked again after a reload finds it. */
export function resumeKey(file, profile) {
  return 'uploadguard:' + JSON.stringify([profile || '', file.name || '', file.size, file.lastModified || 0]);
}

/** The next `count` part numbers of `todo` from `first` on that have no URL yet. */
export function nextBatch(todo, first, count, hasUrl) {
  const batch = [];
  for (const n of todo) {
    if (n >= first && !hasUrl(n)) batch.push(n);
    if (batch.length === count) break;
  }
  return batch;
}
