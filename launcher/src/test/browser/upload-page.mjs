// Usage: node upload-page.mjs PAGE_URL TOKEN PNG_FILE HTML_AS_PNG_FILE SCREENSHOT_FILE
// Uploads a real PNG (expects "accepted") and an HTML file named .png (expects "rejected")
// through the upload page in Debian's Chromium, and keeps a screenshot. Also checks the page's
// Content-Security-Policy: sent, and an inline script injected into the page does not run.
import { chromium } from 'playwright-core';

const [pageUrl, token, pngFile, disguisedFile, screenshot] = process.argv.slice(2);
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';

const browser = await chromium.launch({
  executablePath,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
let failed = false;
try {
  const page = await browser.newPage();
  page.on('pageerror', error => { console.error('page error: ' + error.message); failed = true; });
  const response = await page.goto(pageUrl + '#token=' + encodeURIComponent(token));
  const policy = response.headers()['content-security-policy'] || '';
  if (!policy.includes("default-src 'self'") || policy.includes('unsafe-inline')) {
    console.error('no strict Content-Security-Policy on the page: ' + policy);
    failed = true;
  }

  for (const [file, expected] of [[pngFile, 'accepted'], [disguisedFile, 'rejected']]) {
    await page.setInputFiles('#file', file);
    await page.click('#upload');
    await page.waitForSelector(`#verdict[data-status="${expected}"]`, { timeout: 60000 });
    const verdict = await page.textContent('#verdict');
    const steps = await page.locator('#steps li').allTextContents();
    console.log(`${file}: ${verdict} | ${steps.join(' | ')}`);
  }
  // what an injection would do: an inline script must be blocked by the policy
  const blocked = page.waitForEvent('console', m => m.text().includes('Content Security Policy'), { timeout: 10000 });
  await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.injectedScriptRan = true;';
    document.body.appendChild(script);
  });
  await blocked.catch(() => {});
  if (await page.evaluate(() => window.injectedScriptRan === true)) {
    console.error('an injected inline script ran: the Content-Security-Policy does not block it');
    failed = true;
  } else {
    console.log('an injected inline script was blocked by the Content-Security-Policy');
  }
  if (new URL(page.url()).hash) { console.error('the token stayed in the address bar'); failed = true; }
  await page.screenshot({ path: screenshot, fullPage: true });
} catch (error) {
  console.error(error.message);
  failed = true;
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
