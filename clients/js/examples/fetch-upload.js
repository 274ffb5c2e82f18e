// 1. Plain fetch: ask the signer for a grant, PUT the file to storage with exactly the grant's
// headers, then poll the upload's status until it has a verdict. No package needed.
export async function uploadWithFetch(file, { signerUrl, token, profile }) {
  const auth = { Authorization: `Bearer ${token}` };
  const signed = await fetch(`${signerUrl}/uploads`, {
    method: 'POST',
    headers: { ...auth, 'Content-Type': 'application/json' },
    body: JSON.stringify({ profile, contentType: file.type, size: file.size, filename: file.name }),
  });
  if (!signed.ok) throw new Error((await signed.json()).error); // e.g. too_large, type_not_allowed
  const grant = await signed.json(); // {uploadId, method: 'PUT', url, headers, expiresAt}
  const put = await fetch(grant.url, { method: 'PUT', headers: grant.headers, body: file });
  if (!put.ok) throw new Error(`storage refused the upload: HTTP ${put.status}`);
  for (;;) {
    const status = await fetch(`${signerUrl}/uploads/${grant.uploadId}`, { headers: auth });
    const upload = await status.json(); // {status: 'accepted' | 'rejected' | ..., reasons, detectedType}
    if (upload.status !== 'reserved' && upload.status !== 'scan_pending') return upload;
    await new Promise(resolve => setTimeout(resolve, 500));
  }
}
