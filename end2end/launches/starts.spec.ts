import { expect, test } from '@playwright/test';
import { starts, start } from '../starts';
import { Checkout } from '../tests/kassa';

// Each way Kassa is started, checked the same way: what a newcomer does
// after `make run`. The README's own command is run exactly as written
// (`make run` from the repository root, its data directory relative).
for (const [n, entry] of starts.entries()) {
  test(`${entry.name}: ${entry.what}`, async ({ browser, request }) => {
    const kassa = await start(entry.name, 3340 + n, entry.name === 'make-run' ? 9 * 60_000 : 60_000);
    try {
      console.log(`${entry.name} printed:\n${kassa.output().split('\n').filter((l) => /Kassa|API key|Site id|Pay here|Dashboard/.test(l)).join('\n')}`);
      const home = await request.get(`${kassa.url}/`);
      expect(home.status(), '/ answers').toBe(200);
      expect(await home.text()).toContain('Try it');

      // The hosted page names its files by hash; each is served compressed.
      const html = await (await request.get(kassa.payUrl)).text();
      const files = [...new Set([...html.matchAll(/\/pkg\/kassa\.[0-9a-f]{16}\.(?:css|js|wasm)/g)].map((m) => m[0]))];
      expect(files.map((f) => f.split('.').pop()).sort(), 'the page names its CSS, JS and WASM').toEqual(['css', 'js', 'wasm']);
      for (const file of files) {
        const served = await request.get(kassa.url + file, { headers: { 'Accept-Encoding': 'br' } });
        expect(served.status(), file).toBe(200);
        expect(served.headers()['content-encoding'], file).toBe('br');
      }

      // The printed pay URL, paid with 4242 in Chromium.
      const context = await browser.newContext();
      const page = await context.newPage();
      const checkout = new Checkout(page);
      await checkout.open(kassa.payUrl);
      await checkout.pay('4242 4242 4242 4242');
      await expect(page.getByRole('heading', { name: 'Payment successful' })).toBeVisible();

      // The printed dashboard sign-in shows that session paid.
      await page.goto(`${kassa.url}/dashboard`);
      await page.getByLabel('Email').fill(kassa.email);
      await page.getByLabel('Password').fill(kassa.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      const id = kassa.payUrl.split('/').pop()!;
      await expect(page.getByRole('row', { name: new RegExp(id) })).toContainText('Paid');
      await context.close();
    } finally {
      await kassa.stop();
    }
  });
}
