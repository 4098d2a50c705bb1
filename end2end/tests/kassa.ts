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
