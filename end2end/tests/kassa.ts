import { APIRequestContext, expect, Page } from '@playwright/test';

export const url = () => process.env.KASSA_URL!;
const auth = () => ({ Authorization: `Bearer ${process.env.KASSA_KEY}` });

/** Creates a session through the merchant API, as a merchant's backend does. */
export async function createSession(request: APIRequestContext, extra: Record<string, unknown> = {}) {
  const response = await request.post(`${url()}/v1/checkout/sessions`, {
    headers: auth(),
    data: {
      currency: 'EUR',
      line_items: [{ name: 'Espresso beans 1 kg', quantity: 1, unit_amount: 2500 }],
      success_url: 'https://shop.example/thanks?session={CHECKOUT_SESSION_ID}',
      cancel_url: 'https://shop.example/cart',
      ...extra,
    },
  });
  expect(response.status()).toBe(201);
  return (await response.json()) as { id: string; url: string };
}

export async function partnerStatus(request: APIRequestContext, id: string) {
  const response = await request.get(`${url()}/checkout/${process.env.KASSA_SITE}/session/${id}/status`, {
    headers: auth(),
  });
  expect(response.status()).toBe(200);
  return (await response.json()).data as { status: string; outcome?: string };
}

export async function merchantPost(request: APIRequestContext, path: string) {
  return request.post(`${url()}${path}`, { headers: auth() });
}

/** The hosted checkout page, driven the way a customer does. */
export class Checkout {
  constructor(readonly page: Page) {}

  async open(sessionUrl: string, { hydrated = true } = {}) {
    await this.page.goto(sessionUrl);
    if (hydrated) {
      await expect(this.page.locator('body')).toHaveAttribute('data-hydrated', 'true');
    }
  }

  async fill(card: string, { email = 'ada@example.com', expiry = '12 / 34', cvc = '123' } = {}) {
    await this.page.getByLabel('Email').fill(email);
    await this.page.getByLabel('Card number').fill(card);
    await this.page.getByLabel('Expiry (MM / YY)').fill(expiry);
    await this.page.getByLabel('Security code (CVC)').fill(cvc);
  }

  async pay(card: string, options = {}) {
    await this.fill(card, options);
    await this.page.getByRole('button', { name: /^Pay / }).click();
  }
}

/** The signing secret of the site's Stripe webhook endpoint at the stand-in. */
const stripeSigningSecret = 'whsec_kassae2etest';

/**
 * Routes the demo site's live payments to Stripe's stand-in (localstripe,
 * started by .ci/with-localstripe.sh) and registers Kassa's webhook URL
 * with it, as a merchant does in Stripe's dashboard. Setting it twice
 * changes nothing.
 */
export async function routeToStripe(request: APIRequestContext) {
  const stripe = process.env.KASSA_TEST_STRIPE;
  expect(stripe, 'run through .ci/with-localstripe.sh (make test-browser does)').toBeTruthy();
  const route = await request.put(`${url()}/v1/sites/${process.env.KASSA_SITE}/provider_route`, {
    headers: auth(),
    data: {
      provider: 'stripe',
      secret_key: 'sk_test_kassae2e0000',
      publishable_key: 'pk_test_kassae2e0000',
      webhook_secret: stripeSigningSecret,
    },
  });
  expect(route.status()).toBe(200);
  const { webhook_url } = await route.json();
  const hook = await request.post(`${stripe}/_config/webhooks/kassa-e2e`, {
    form: { url: webhook_url, secret: stripeSigningSecret },
  });
  expect(hook.ok()).toBeTruthy();
}

/** Creates a live-mode session (paid through Stripe) with the live key. */
export async function liveSession(request: APIRequestContext, extra: Record<string, unknown> = {}) {
  const response = await request.post(`${url()}/v1/checkout/sessions`, {
    headers: { Authorization: `Bearer ${process.env.KASSA_LIVE_KEY}` },
    data: {
      currency: 'EUR',
      line_items: [{ name: 'Espresso beans 1 kg', quantity: 1, unit_amount: 2500 }],
      cancel_url: 'https://shop.example/cart',
      ...extra,
    },
  });
  expect(response.status()).toBe(201);
  const session = (await response.json()) as { id: string; url: string; livemode: boolean };
  expect(session.livemode).toBe(true);
  return session;
}

/** A live request with the live key: `path` under Kassa, JSON `data` for a POST. */
export async function live(request: APIRequestContext, path: string, data?: Record<string, unknown>) {
  const headers = { Authorization: `Bearer ${process.env.KASSA_LIVE_KEY}` };
  const response = data === undefined
    ? await request.get(`${url()}${path}`, { headers })
    : await request.post(`${url()}${path}`, { headers, data });
  return { status: response.status(), body: await response.json() };
}

/** Types the card into the stand-in's Stripe element (in `page` or a frame) and pays. */
export async function payWithStripe(page: Page | import('@playwright/test').FrameLocator, number: string) {
  await page.getByLabel('Email').fill('ada@example.com');
  const element = page.getByTestId('card-element');
  await element.getByPlaceholder('number').fill(number);
  await element.getByPlaceholder('exp_month').fill('12');
  await element.getByPlaceholder('exp_year').fill('34');
  await element.getByPlaceholder('cvc').fill('123');
  await page.getByRole('button', { name: /^(Pay |Save card$)/ }).click();
}
