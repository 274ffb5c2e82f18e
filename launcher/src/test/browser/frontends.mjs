// Usage: node frontends.mjs SETTINGS_JSON
// The README's three frontend snippets (clients/js/examples), loaded by a page on another origin
// than the signer, in Debian's Chromium: plain fetch (and the same page on an origin the signer
// does not allow: refused by CORS), the client package (progress, verdict), and Uppy with the
// one-import adapter (a PNG accepted, a disguised file rejected). Prints one line per result.
import { launchChromium } from './chromium.mjs';
import { build } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const settings = JSON.parse(process.argv[2]);
const { appUrl, otherOriginUrl, signerUrl, token, png, disguised, video, vendorDir } = settings;
const MiB = 1024 * 1024;

// Uppy for the page, as an app's bundler would make it (two modules sharing one chunk)
mkdirSync(join(vendorDir, 'entries'), { recursive: true });
writeFileSync(join(vendorDir, 'entries', 'uppy-core.js'), "export { default } from '@uppy/core';\n");
writeFileSync(join(vendorDir, 'entries', 'uppy-aws-s3.js'), "export { default } from '@uppy/aws-s3';\n");
await build({
  entryPoints: [join(vendorDir, 'entries', 'uppy-core.js'), join(vendorDir, 'entries', 'uppy-aws-s3.js')],
  bundle: true, splitting: true, format: 'esm', outdir: vendorDir, logLevel: 'warning',
  nodePaths: [join(process.cwd(), 'node_modules')], target: 'chrome120',
});

const browser = await launchChromium();
let failed = false;
const fail = text => { console.error('FAILED: ' + text); failed = true; };

async function openPage(origin) {
  const page = await browser.newPage();
  page.on('pageerror', error => fail('page error: ' + error.message));
  page.on('console', message => { if (message.type() === 'error') console.log('console: ' + message.text()); });
  await page.goto(origin + '/pages/frontends.html');
  await page.waitForFunction(() => window.ready === true);
  await page.setInputFiles('#file', [png, disguised]);
  return page;
}

try {
  const app = await openPage(appUrl);
  const options = { signerUrl, token, profile: 'avatar' };

  const viaFetch = await app.evaluate(o => window.snippets.uploadWithFetch(document.getElementById('file').files[0], o), options);
  console.log(`fetch: ${viaFetch.status} ${viaFetch.detectedType}`);

  const other = await openPage(otherOriginUrl);
  const refused = await other.evaluate(o => window.snippets.uploadWithFetch(document.getElementById('file').files[0], o)
    .then(() => 'uploaded', error => 'refused: ' + error.name + ': ' + error.message), options);
  console.log(`fetch from an origin the signer does not allow: ${refused}`);
  await other.close();

  const viaClient = await app.evaluate(async o => {
    const seen = [];
    const verdict = await window.snippets.uploadWithClient(document.getElementById('file').files[0],
      { ...o, onProgress: p => seen.push(Math.round(100 * p.loaded / p.total)) });
    return { status: verdict.status, progress: seen };
  }, options);
  console.log(`client: ${viaClient.status}, progress ${viaClient.progress.join(' ')}`);

  const viaUppy = await app.evaluate(async o => {
    const uppy = window.snippets.uppyWithUploadGuard(o);
    const files = [...document.getElementById('file').files];
    const verdicts = new Promise(resolve => {
      const seen = [];
      uppy.on('uploadguard:verdict', (file, verdict) => {
        seen.push(`${file.name} ${verdict.status} ${(verdict.reasons || []).join(',')}`);
        if (seen.length === files.length) resolve(seen);
      });
    });
    for (const file of files) uppy.addFile({ name: file.name, type: file.type, data: file });
    const result = await uppy.upload();
    if (result.failed && result.failed.length) return ['upload failed: ' + result.failed.map(f => f.error).join('; ')];
    return verdicts;
  }, options);
  for (const line of viaUppy) console.log(`uppy: ${line}`);

  if (video) {
    // multipart: the video profile sends files above 32 MiB in parts of 8 MiB
    await app.setInputFiles('#large', video);
    const large = { ...options, profile: 'video' };
    const viaClientInParts = await app.evaluate(async o => {
      const seen = [];
      const verdict = await window.snippets.uploadWithClient(document.getElementById('large').files[0],
        { ...o, onProgress: p => seen.push(Math.round(100 * p.loaded / p.total)) });
      return { status: verdict.status, progress: [...new Set(seen)].length, last: seen.at(-1) };
    }, large);
    console.log(`client multipart: ${viaClientInParts.status}, ${viaClientInParts.progress} progress steps, last ${viaClientInParts.last} %`);

    const viaUppyInParts = await app.evaluate(async o => {
      const uppy = window.snippets.uppyWithUploadGuard(o);
      const file = document.getElementById('large').files[0];
      const parts = [];
      uppy.on('s3-multipart:part-uploaded', (f, part) => parts.push(part.PartNumber));
      const verdict = new Promise(resolve => uppy.on('uploadguard:verdict', (f, v) => resolve(`${f.name} ${v.status}`)));
      uppy.addFile({ name: file.name, type: file.type, data: file });
      const result = await uppy.upload();
      if (result.failed && result.failed.length) return 'upload failed: ' + result.failed.map(f => f.error).join('; ');
      return `${await verdict} in ${parts.length} parts`;
    }, { ...large, multipart: { threshold: 32 * MiB, partSize: 8 * MiB } });
    console.log(`uppy multipart: ${viaUppyInParts}`);
  }
  await app.screenshot({ path: join(vendorDir, '..', 'frontends.png'), fullPage: true });
} catch (error) {
  fail(error.message);
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
