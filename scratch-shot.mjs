import { chromium } from 'playwright-core';
const [file, prefix] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
for (const [w, name] of [[1280, 'desktop'], [390, 'phone']]) {
  const page = await browser.newPage({ viewport: { width: w, height: 900 } });
  await page.goto('file://' + file);
  await page.screenshot({ path: `${prefix}-${name}.png`, fullPage: true });
  console.log(name, await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight]));
  await page.close();
}
await browser.close();
