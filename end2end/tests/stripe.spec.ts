import { APIRequestContext, expect, test } from '@playwright/test';
import { url } from './kassa';

// Live mode through Stripe's stand-in (localstripe, started by
// .ci/with-localstripe.sh): Stripe.js's stand-in mounts its card element,
// the card goes from the browser to "Stripe", Kassa sees a token only.
const stripe = () => process.env.KASSA_TEST_STRIPE!;
const signingSecret = 'whsec_kassae2etest';

test.beforeAll(async ({ request }) => {
  expect(stripe(), 'run through .ci/with-localstripe.sh (make test-browser does)').toBeTruthy();
  const route = await request.put(`${url()}/v1/sites/${process.env.KASSA_SITE}/provider_route`, {
    headers: { Authorization: `Bearer ${process.env.KASSA_KEY}` },
    data: {
      provider: 'stripe',
      secret_key: 'sk_test_kassae2e0000',
      publishable_key: 'pk_test_kassae2e0000',
      webhook_secret: signingSecret,
    },
  });
  expect(route.status()).toBe(200);
  const { webhook_url } = await route.json();
  const hook = await request.post(`${stripe()}/_config/webhooks/kassa-e2e`, {
    form: { url: webhook_url, secret: signingSecret },
  });
  expect(hook.ok()).toBeTruthy();
});

async function liveSession(request: APIRequestContext) {
  const response = await request.post(`${url()}/v1/checkout/sessions`, {
    headers: { Authorization: `Bearer ${process.env.KASSA_LIVE_KEY}` },
    data: {
      currency: 'EUR',
      line_items: [{ name: 'Espresso beans 1 kg', quantity: 1, unit_amount: 2500 }],
      cancel_url: 'https://shop.example/cart',
    },
  });
  expect(response.status()).toBe(201);
  const session = (await response.json()) as { id: string; url: string; livemode: boolean };
  expect(session.livemode).toBe(true);
  return session;
}

async function retrieve(request: APIRequestContext, id: string) {
  const response = await request.get(`${url()}/v1/checkout/sessions/${id}`, {
    headers: { Authorization: `Bearer ${process.env.KASSA_LIVE_KEY}` },
  });
  return (await response.json()) as { status: string; outcome: string };
}

/** Types the card into the stand-in's element and pays. */
async function payWith(page: import('@playwright/test').Page, number: string) {
  await page.getByLabel('Email').fill('ada@example.com');
  const element = page.getByTestId('card-element');
  await element.getByPlaceholder('number').fill(number);
  await element.getByPlaceholder('exp_month').fill('12');
  await element.getByPlaceholder('exp_year').fill('34');
  await element.getByPlaceholder('cvc').fill('123');
  await page.getByRole('button', { name: /^Pay / }).click();
}

test('a live session is paid in Stripe\'s element; Kassa never sees the card', async ({ page, request }) => {
  const session = await liveSession(request);
  const posted: string[] = [];
  page.on('request', (r) => {
    if (r.url().startsWith(url()) && r.method() === 'POST') posted.push(r.postData() || '');
  });
  await page.goto(session.url);
  await expect(page.getByTestId('card-element').getByPlaceholder('number')).toBeVisible();
  await payWith(page, '4242424242424242');
  await expect(page.getByRole('heading', { name: 'Payment successful' })).toBeVisible();
  expect((await retrieve(request, session.id)).outcome).toBe('paid');
  expect(posted.join('\n')).not.toContain('4242424242424242');
  expect(posted.join('\n')).toContain('token=tok_');
});

test('a decline shows why, and another card then pays', async ({ page, request }) => {
  const session = await liveSession(request);
  await page.goto(session.url);
  await payWith(page, '4000000000000341');
  await expect(page.getByTestId('decline')).toContainText('Your card was declined.');
  expect((await retrieve(request, session.id)).outcome).toBe('unpaid');
  await payWith(page, '4242424242424242');
  await expect(page.getByRole('heading', { name: 'Payment successful' })).toBeVisible();
});

test('3-D Secure: a failed check declines, a passed one pays', async ({ page, request }) => {
  const session = await liveSession(request);
  await page.goto(session.url);
  await payWith(page, '4000002760003184');
  await expect(page.getByRole('heading', { name: 'Verify your payment' })).toBeVisible();
  await page.getByRole('button', { name: 'Fail authentication' }).click();
  await expect(page.getByTestId('decline')).toContainText('could not verify');
  await payWith(page, '4000002760003184');
  await page.getByRole('button', { name: 'Complete authentication' }).click();
  await expect(page.getByRole('heading', { name: 'Payment successful' })).toBeVisible();
  expect((await retrieve(request, session.id)).outcome).toBe('paid');
});

test('the webhook completes a session whose customer closed the tab after 3-D Secure', async ({ page, request }) => {
  const session = await liveSession(request);
  await page.goto(session.url);
  await payWith(page, '4000002760003184');
  await expect(page.getByRole('heading', { name: 'Verify your payment' })).toBeVisible();
  // The tab closes as the bank's check passes: the page never tells Kassa.
  await page.route('**/fn/answer', (route) => route.abort());
  await page.getByRole('button', { name: 'Complete authentication' }).click();
  await expect.poll(async () => (await retrieve(request, session.id)).outcome, { timeout: 15_000 }).toBe('paid');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the page says the card form needs it and offers the way back', async ({ page, request }) => {
    const session = await liveSession(request);
    await page.goto(session.url);
    await expect(page.getByTestId('needs-js')).toContainText('needs JavaScript');
    await expect(page.getByRole('link', { name: 'Return to the shop' })).toHaveAttribute('href', 'https://shop.example/cart');
    await expect(page.getByRole('button', { name: /^Pay / })).toBeHidden();
  });
});
