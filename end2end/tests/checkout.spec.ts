import { expect, test } from '@playwright/test';
import { Checkout, createSession, merchantPost, partnerStatus, url } from './kassa';

test('4242 pays, the return page shows it, and the status API agrees', async ({ page, request }) => {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.text().includes('Content Security Policy')) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  const session = await createSession(request);
  const checkout = new Checkout(page);
  await checkout.open(session.url);
  await expect(page.getByTestId('total')).toHaveText('€25.00');
  await expect(page.getByText('Espresso beans 1 kg')).toBeVisible();
  await expect(page.getByTestId('expires')).toHaveText(/Expires in \d+:\d\d:\d\d/);
  await checkout.pay('4242 4242 4242 4242');
  await expect(page.getByRole('heading', { name: 'Payment successful' })).toBeVisible();
  await expect(page.getByTestId('continue')).toHaveAttribute('href', `https://shop.example/thanks?session=${session.id}`);
  expect(await partnerStatus(request, session.id)).toMatchObject({ status: 'Completed', outcome: 'Succeeded' });
  expect(problems, 'no script errors or CSP violations').toEqual([]);
});

test('a declined card shows why and keeps the form; 4242 then succeeds', async ({ page, request }) => {
  const session = await createSession(request);
  const checkout = new Checkout(page);
  await checkout.open(session.url);
  await checkout.pay('4000 0000 0000 0002');
  await expect(page.getByTestId('decline')).toContainText('Your card was declined');
  await expect(page.getByTestId('decline'), 'why comes first, for a screen reader too').toBeFocused();
  await expect(page.getByLabel('Email')).toHaveValue('ada@example.com');
  expect(await partnerStatus(request, session.id)).toMatchObject({ status: 'Launched' });
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await checkout.pay('4242424242424242');
  await expect(page.getByRole('heading', { name: 'Payment successful' })).toBeVisible();
  expect(await partnerStatus(request, session.id)).toMatchObject({ status: 'Completed', outcome: 'Succeeded' });
});

test('3-D Secure: the customer approves the challenge', async ({ page, request }) => {
  const session = await createSession(request);
  const checkout = new Checkout(page);
  await checkout.open(session.url);
  await checkout.pay('4000 0027 6000 3184');
  await expect(page.getByRole('heading', { name: 'Verify your payment' })).toBeVisible();
  expect(await partnerStatus(request, session.id)).toMatchObject({ status: 'Pending' });
  await page.getByRole('button', { name: 'Complete authentication' }).click();
  await expect(page.getByRole('heading', { name: 'Payment successful' })).toBeVisible();
});

test('an expired session gets its own page, with the way back to the shop', async ({ page, request }) => {
  const session = await createSession(request);
  expect((await merchantPost(request, `/v1/checkout/sessions/${session.id}/expire`)).status()).toBe(200);
  await page.goto(session.url);
  await expect(page.getByRole('heading', { name: 'This checkout has expired' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Return to the shop' })).toHaveAttribute('href', 'https://shop.example/cart');
  await expect(page.getByLabel('Card number')).toHaveCount(0);
});

test('the whole flow works with JavaScript disabled', async ({ browser, request }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const session = await createSession(request);
  const checkout = new Checkout(page);
  await checkout.open(session.url, { hydrated: false });
  await checkout.pay('4242 4242 4242 4242', { expiry: '01 / 20' });
  await expect(page.getByText("Your card's expiry date is in the past.")).toBeVisible();
  await expect(page.getByLabel('Expiry (MM / YY)'), 'the page the server sent back opens on its error').toBeFocused();
  await checkout.pay('4000 0000 0000 0002');
  await expect(page.getByTestId('decline')).toContainText('declined');
  await checkout.pay('4242 4242 4242 4242');
  await expect(page.getByRole('heading', { name: 'Payment successful' })).toBeVisible();
  expect(await partnerStatus(request, session.id)).toMatchObject({ status: 'Completed', outcome: 'Succeeded' });
  await context.close();
});

test('mistakes are caught in the browser, announced and focused, before anything is sent', async ({ page, request }) => {
  const session = await createSession(request);
  const checkout = new Checkout(page);
  await checkout.open(session.url);
  let posted = false;
  page.on('request', (r) => {
    if (r.method() === 'POST') posted = true;
  });
  await checkout.pay('4242 4242 4242 4241', { cvc: '12' });
  const number = page.getByLabel('Card number');
  await expect(number).toHaveAttribute('aria-invalid', 'true');
  await expect(number).toBeFocused();
  await expect(page.getByText('Your card number is invalid')).toBeVisible();
  await expect(page.getByText("Your card's security code is incomplete.")).toBeVisible();
  await expect(page.getByText('2 fields need your attention.')).toBeAttached();
  expect(posted).toBe(false);
  await checkout.pay('4242 4242 4242 4242');
  await expect(page.getByRole('heading', { name: 'Payment successful' })).toBeVisible();
});

test('an open page learns within 2 s that the session was paid or cancelled elsewhere', async ({ page, browser, request }) => {
  const paidElsewhere = await createSession(request);
  const checkout = new Checkout(page);
  await checkout.open(paidElsewhere.url);
  const other = await browser.newContext();
  const otherTab = new Checkout(await other.newPage());
  await otherTab.open(paidElsewhere.url);
  await otherTab.pay('4242 4242 4242 4242');
  await expect(page.getByRole('heading', { name: 'This order is already paid' })).toBeVisible({ timeout: 2_500 });
  await other.close();

  const cancelled = await createSession(request);
  await checkout.open(cancelled.url);
  await merchantPost(request, `/v1/checkout/sessions/${cancelled.id}/cancel`);
  await expect(page.getByRole('heading', { name: 'This checkout was cancelled' })).toBeVisible({ timeout: 2_500 });
});

test('an asynchronous payment shows as confirming, then paid', async ({ page, request }) => {
  const session = await createSession(request);
  const checkout = new Checkout(page);
  await checkout.open(session.url);
  await checkout.pay('4000 0000 0000 1034');
  await expect(page.getByRole('heading', { name: 'Confirming your payment…' })).toBeVisible();
  expect(await partnerStatus(request, session.id)).toMatchObject({ status: 'Pending' });
  await expect(page.getByRole('heading', { name: 'Payment successful' })).toBeVisible({ timeout: 10_000 });
});

test('an unknown session says so', async ({ page }) => {
  const response = await page.goto(`${url()}/pay/cs_unknown`);
  expect(response!.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Checkout not found' })).toBeVisible();
});

test('the customer cancels, with and without JavaScript, and lands back at the shop', async ({ browser, request }) => {
  for (const javaScriptEnabled of [true, false]) {
    const context = await browser.newContext({ javaScriptEnabled });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.text().includes('Content Security Policy')) problems.push(m.text());
    });
    // The shop is not on this machine's network: the browser gets its cart page from here.
    await page.route('https://shop.example/**', (route) =>
      route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>Cart</title><h1>Your cart</h1>' }),
    );
    const session = await createSession(request);
    await new Checkout(page).open(session.url, { hydrated: javaScriptEnabled });
    await page.getByRole('button', { name: 'Cancel and return to the shop' }).click();
    await expect(page.getByRole('heading', { name: 'Your cart' })).toBeVisible();
    expect(page.url()).toBe('https://shop.example/cart');
    expect(await partnerStatus(request, session.id)).toMatchObject({ status: 'Cancelled', outcome: 'Cancelled' });
    expect(problems, `no CSP refusal of the redirect (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`).toEqual([]);
    await context.close();
  }
});
