import { expect, test } from '@playwright/test';
import { Checkout, url } from './kassa';

test('a payment link refuses an amount out of bounds, then pays, and its figures move', async ({ page, request }) => {
  const title = `Donation ${Date.now()}`;
  const created = await request.post(`${url()}/v1/payment_links`, {
    headers: { Authorization: `Bearer ${process.env.KASSA_KEY}` },
    data: { title, currency: 'EUR', min_amount: 500, max_amount: 10000 },
  });
  expect(created.status()).toBe(201);
  const link = await created.json();

  await page.goto(link.url);
  await expect(page.getByRole('heading', { name: title })).toBeVisible();
  await page.getByLabel('Amount (EUR)').fill('3');
  await page.getByRole('button', { name: 'Continue to payment' }).click();
  await expect(page.getByTestId('link-error')).toHaveText('Choose an amount between €5.00 and €100.00.');
  const amount = page.getByLabel('Amount (EUR)');
  await expect(amount, 'the error is about this field, which has the focus').toBeFocused();
  await expect(amount).toHaveAttribute('aria-invalid', 'true');
  await expect(amount).toHaveAccessibleDescription(/Choose an amount between €5\.00 and €100\.00\./);
  await page.getByLabel('Amount (EUR)').fill('20');
  await page.getByRole('button', { name: 'Continue to payment' }).click();

  const checkout = new Checkout(page);
  await expect(page.getByTestId('total')).toHaveText('€20.00');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await checkout.pay('4242 4242 4242 4242');
  await expect(page.getByRole('heading', { name: 'Payment successful' })).toBeVisible();

  await page.goto(`${url()}/dashboard/sign-in`);
  await page.getByLabel('Email').fill(process.env.KASSA_DASHBOARD_EMAIL!);
  await page.getByLabel('Password').fill(process.env.KASSA_DASHBOARD_PASSWORD!);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.goto(`${url()}/dashboard/links`);
  const panel = page.getByRole('region', { name: `Payment link ${title}` });
  await expect(panel.getByTestId('figures')).toHaveText('1 visit · 1 session · 1 paid · €20.00 revenue');
  await expect(panel.getByRole('img', { name: /QR code/ })).toBeVisible();
});
