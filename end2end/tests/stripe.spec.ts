import { APIRequestContext, expect, test } from '@playwright/test';
import { live, liveSession, payWithStripe as payWith, routeToStripe, url } from './kassa';

// Live mode through Stripe's stand-in (localstripe, started by
// .ci/with-localstripe.sh): Stripe.js's stand-in mounts its card element,
// the card goes from the browser to "Stripe", Kassa sees a token only.

test.beforeAll(async ({ request }) => {
  await routeToStripe(request);
});

async function retrieve(request: APIRequestContext, id: string) {
  return (await live(request, `/v1/checkout/sessions/${id}`)).body as {
    status: string;
    outcome: string;
    payment_method: string | null;
  };
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

test('a card saved with amount 0 in Stripe\'s element is charged by the next payment of the series', async ({
  page,
  request,
}) => {
  const customer = `cus-e2e-${Date.now()}`;
  const session = await liveSession(request, {
    line_items: [],
    amount: 0,
    sequence: 'first_in_series',
    customer_id: customer,
  });
  await page.goto(session.url);
  await expect(page.getByRole('heading', { name: 'Save your card' })).toBeVisible();
  await payWith(page, '4242424242424242');
  await expect(page.getByRole('heading', { name: 'Card saved' })).toBeVisible();
  const verified = await retrieve(request, session.id);
  expect(verified.outcome).toBe('payment_method_verified');
  const saved = await live(request, `/v1/customers/${customer}/payment_methods`);
  expect(saved.body).toHaveLength(1);
  expect(saved.body[0].card.last4).toBe('4242');
  const next = await live(request, '/v1/checkout/sessions', {
    amount: 1200,
    currency: 'EUR',
    sequence: 'next_in_series',
    payment_method: verified.payment_method,
  });
  expect(next.status).toBe(201);
  expect([next.body.status, next.body.outcome]).toEqual(['complete', 'paid']);
});

test('manual capture: authorised in the element, captured, then refunded twice in part', async ({
  page,
  request,
}) => {
  const session = await liveSession(request, { capture: 'manual' });
  await page.goto(session.url);
  await payWith(page, '4242424242424242');
  await expect(page.getByRole('heading', { name: 'Payment successful' })).toBeVisible();
  expect((await retrieve(request, session.id)).outcome).toBe('reserved');
  const captured = await live(request, `/v1/checkout/sessions/${session.id}/capture`, {});
  expect([captured.status, captured.body.outcome]).toEqual([200, 'paid']);
  for (const amount of [1000, 500]) {
    const refund = await live(request, '/v1/refunds', { session_id: session.id, amount });
    expect(refund.status).toBe(201);
  }
  const refunds = await live(request, `/v1/checkout/sessions/${session.id}/refunds`);
  expect(refunds.body.map((r: { amount: number }) => r.amount)).toEqual([1000, 500]);
  expect((await live(request, `/v1/checkout/sessions/${session.id}`)).body.amount_refunded).toBe(1500);
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
