// Usage: node large-upload.mjs SETTINGS_JSON
// Issue 16's bar on the signer's upload page in Debian's Chromium: a 64 MiB video uploaded in parts
// with the progress bar shown; one part's connection cut (and retried by the page); the page
// reloaded halfway (parts 1-4 stored, the rest held back) and the upload resumed from what storage
// holds; accepted. Then a disguised large file (HTML named .mp4, in parts too) is rejected.
import { launchChromium } from './chromium.mjs';

const { pageUrl, signerUrl, token, video, disguised, screenshot } = JSON.parse(process.argv[2]);
const browser = await launchChromium();
let failed = false;
const fail = text => { console.error('FAILED: ' + text); failed = true; };
const part = n => new RegExp('[?&]partNumber=' + n + '(&|$)');
const steps = page => page.locator('#steps li').allTextContents();

async function start(page, file) {
  await page.fill('#token', token);
  await page.selectOption('#profile', 'video');
  await page.setInputFiles('#file', file);
  await page.click('#upload');
}

async function storedParts(uploadId) {
  const response = await fetch(signerUrl + '/uploads/' + uploadId + '/parts', { headers: { Authorization: 'Bearer ' + token } });
  return (await response.json()).parts.map(p => p.partNumber);
}

try {
  const page = await browser.newPage();
  page.on('pageerror', error => fail('page error: ' + error.message));
  await page.goto(pageUrl);

  // part 3's first connection is cut; parts 5 to 8 are held back until the reload
  let cut = 0;
  await page.route(part(3), route => (cut++ === 0 ? route.abort('connectionreset') : route.continue()));
  await page.route(/[?&]partNumber=[5-8](&|$)/, () => { /* held: never answered */ });
  await start(page, video);

  const saved = await page.waitForFunction(() => Object.keys(localStorage).find(k => k.startsWith('uploadguard:')));
  const { uploadId, partCount } = JSON.parse(await page.evaluate(k => localStorage.getItem(k), await saved.jsonValue()));
  const deadline = Date.now() + 60000;
  while ((await storedParts(uploadId)).length < 4 && Date.now() < deadline) await new Promise(r => setTimeout(r, 200));
  const before = await storedParts(uploadId);
  const percent = await page.getAttribute('#progress', 'data-percent');
  console.log(`upload ${uploadId}: ${partCount} parts planned; stored before the reload: ${before.join(',')}; progress shown ${percent} %`);
  console.log(`part 3 connections cut: ${cut > 0 ? 1 : 0}`);
  for (const line of await steps(page)) if (line.startsWith('Part ')) console.log('page: ' + line);

  await page.reload();
  await page.unrouteAll({ behavior: 'ignoreErrors' });
  await start(page, video);
  await page.waitForSelector('#verdict[data-status="accepted"], #verdict[data-status="rejected"], #verdict[data-status="error"]',
    { timeout: 90000 });
  for (const line of await steps(page)) console.log('page after the reload: ' + line);
  console.log(`video: ${await page.textContent('#verdict')}, progress shown ${await page.getAttribute('#progress', 'data-percent')} %`);
  console.log(`forgotten once completed: ${await page.evaluate(() => !Object.keys(localStorage).some(k => k.startsWith('uploadguard:')))}`);

  await start(page, disguised);
  await page.waitForSelector('#verdict[data-status="rejected"], #verdict[data-status="error"], #verdict[data-status="accepted"]',
    { timeout: 90000 });
  console.log(`disguised: ${await page.textContent('#verdict')}`);
  await page.screenshot({ path: screenshot, fullPage: true });
} catch (error) {
  fail(error.message);
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
