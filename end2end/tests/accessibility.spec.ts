import AxeBuilder from '@axe-core/playwright';
import { expect, Page, test } from '@playwright/test';
import { Checkout, createSession, merchantPost } from './kassa';

// axe-core on every page a customer can meet, in light and in dark mode:
// no violations at all, against the WCAG 2.x A and AA rules and axe's own
// best practices.
async function expectNoViolations(page: Page, what: string) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
    .analyze();
  const found = results.violations.map((v) => ({
    rule: v.id,
    impact: v.impact,
    nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary}`),
  }));
  expect(found, `${what}: axe violations`).toEqual([]);
  expect(results.passes.length, `${what}: axe ran its rules`).toBeGreaterThan(10);
}

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`${colorScheme} mode`, () => {
    test.use({ colorScheme });

    test('the hosted page: empty, with errors, declined', async ({ page, request }) => {
      const session = await createSession(request);
      const checkout = new Checkout(page);
      await checkout.open(session.url);
      const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      expect(background, 'the page follows the system setting').toBe(
        colorScheme === 'dark' ? 'rgb(17, 20, 26)' : 'rgb(246, 247, 249)',
      );
      await expectNoViolations(page, 'empty form');

      await page.getByRole('button', { name: /^Pay / }).click();
      await expect(page.locator('#email-error')).toHaveText('Enter your email address.');
      await expect(page.getByText('4 fields need your attention.')).toBeAttached();
      await expect(page.getByLabel('Email'), 'focus moves to the first error').toBeFocused();
      await expectNoViolations(page, 'form with errors');

      await checkout.pay('4000 0000 0000 0002');
      await expect(page.getByTestId('decline')).toContainText('Your card was declined');
      await expectNoViolations(page, 'declined');
    });

    test('the 3-D Secure step and the return page, paid and on its way to the shop', async ({ page, request }) => {
      // The shop's thank-you page, answered here: this machine has no route out.
      await page.route('https://shop.example/**', (route) => route.fulfill({ contentType: 'text/html', body: '<title>Thanks</title>' }));
      const session = await createSession(request);
      const checkout = new Checkout(page);
      await checkout.open(session.url);
      await checkout.pay('4000 0027 6000 3184');
      await expect(page.getByRole('heading', { name: 'Verify your payment' })).toBeVisible();
      await expectNoViolations(page, '3-D Secure');
      await page.getByRole('button', { name: 'Complete authentication' }).click();
      await expect(page.getByRole('heading', { name: 'Payment successful' })).toBeVisible();
      await expect(page.getByText('Taking you back to the shop…')).toBeVisible();
      await expectNoViolations(page, 'return page');
      await page.waitForURL(`https://shop.example/thanks?session=${session.id}`, { timeout: 10_000 });
    });

    test('the return page while the payment is confirmed', async ({ page, request }) => {
      // The page's watch is held off until axe has read the pending page.
      await page.route('**/fn/state?*', (route) => route.abort());
      const session = await createSession(request, { success_url: undefined });
      const checkout = new Checkout(page);
      await checkout.open(session.url);
      await checkout.pay('4000 0000 0000 1034');
      await expect(page.getByRole('heading', { name: 'Confirming your payment…' })).toBeVisible();
      await expectNoViolations(page, 'pending return page');
      await page.unroute('**/fn/state?*');
      await expect(page.getByRole('heading', { name: 'Payment successful' })).toBeVisible({ timeout: 15_000 });
    });

    test('the expired page', async ({ page, request }) => {
      const session = await createSession(request);
      expect((await merchantPost(request, `/v1/checkout/sessions/${session.id}/expire`)).status()).toBe(200);
      await page.goto(session.url);
      await expect(page.getByRole('heading', { name: 'This checkout has expired' })).toBeVisible();
      await expectNoViolations(page, 'expired');
    });
  });
}

test('everything can be done with the keyboard, with a visible focus', async ({ page, request }) => {
  const session = await createSession(request);
  const checkout = new Checkout(page);
  await checkout.open(session.url);
  const visited: string[] = [];
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      return { id: el.id || el.textContent?.trim() || el.tagName, outline: getComputedStyle(el).outlineStyle };
    });
    expect(focused.outline, `${focused.id} shows where the focus is`).not.toBe('none');
    visited.push(focused.id);
  }
  expect(visited.slice(0, 5)).toEqual(['email', 'card-number', 'card-expiry', 'card-cvc', 'Pay €25.00']);
  await page.getByLabel('Email').focus();
  await page.keyboard.type('ada@example.com');
  await page.keyboard.press('Tab');
  await page.keyboard.type('4242424242424242');
  await page.keyboard.press('Tab');
  await page.keyboard.type('12 / 34');
  await page.keyboard.press('Tab');
  await page.keyboard.type('123');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Payment successful' })).toBeVisible();
});

test('at 200 % zoom nothing is cut off or needs sideways scrolling', async ({ browser, request }) => {
  // 200 % of a 1280 px window is a 640 px viewport at twice the pixel density.
  const context = await browser.newContext({ viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 });
  const page = await context.newPage();
  const session = await createSession(request);
  await new Checkout(page).open(session.url);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  const fields = ['Email', 'Card number', 'Expiry (MM / YY)', 'Security code (CVC)'];
  for (const control of [...fields.map((l) => page.getByLabel(l)), page.getByRole('button', { name: /^Pay / })]) {
    const box = (await control.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width, 'fits the zoomed width').toBeLessThanOrEqual(640);
  }
  await context.close();
});
