import { expect, Page, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { createSession, url } from './kassa';

async function signIn(page: Page) {
  await page.goto(`${url()}/dashboard`);
  await expect(page).toHaveURL(/\/dashboard\/sign-in$/);
  await page.getByLabel('Email').fill(process.env.KASSA_DASHBOARD_EMAIL!);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Wrong email or password.');
  await page.getByLabel('Password').fill(process.env.KASSA_DASHBOARD_PASSWORD!);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Checkout sessions' })).toBeVisible();
}

test('a merchant finds a paid session by email, refunds half, and sees it everywhere', async ({ page, request }) => {
  const email = `grace-${Date.now()}@example.com`;
  const session = await createSession(request, { customer_email: email, order_id: `ORD-${Date.now()}` });
  const pay = await request.post(`${url()}/fn/pay`, {
    form: { session: session.id, email, card_number: '4242424242424242', card_expiry: '12/34', card_cvc: '123' },
    maxRedirects: 0,
  });
  expect(pay.status()).toBe(303);

  await signIn(page);
  await page.getByLabel('Search').fill(email);
  await page.getByRole('button', { name: 'Search' }).click();
  const row = page.getByRole('row', { name: new RegExp(session.id) });
  await expect(row).toContainText('Paid');

  const downloading = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download CSV' }).click();
  const csv = readFileSync(await (await downloading).path(), 'utf8').trim().split('\n');
  expect(csv[0]).toBe('id,created_at,status,outcome,state,amount,currency,amount_refunded,customer_email,payer_email,order_id,source,payment_id,failure_code,customer_country,customer_city');
  expect(csv).toHaveLength(2);
  expect(csv[1]).toContain(`${session.id},`);
  expect(csv[1]).toContain(`,complete,paid,Paid,2500,EUR,0,${email},`);

  await row.getByRole('link', { name: session.id }).click();

  await expect(page.getByTestId('state')).toHaveText('Paid');
  await expect(page.getByTestId('timeline')).toContainText('Session completed');
  await page.getByLabel(/Refund amount/).fill('12.50');
  await page.getByLabel('Reason').fill('One bag returned');
  await page.getByRole('button', { name: 'Refund' }).click();
  await expect(page.getByRole('status')).toHaveText('Refund made.');
  await expect(page.getByTestId('state')).toHaveText('Partially refunded');
  await expect(page.getByTestId('timeline')).toContainText('Refunded €12.50');
  await expect(page.getByTestId('timeline')).toContainText('One bag returned');

  await page.getByLabel(/Refund amount/).fill('20.00');
  await page.getByRole('button', { name: 'Refund' }).click();
  await expect(page.getByRole('alert')).toContainText('more than the 1250 that remains');

  // The customer's receipt link goes to the clipboard in one click.
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  const field = page.getByRole('textbox', { name: "Copy customer's receipt link" });
  const link = await field.inputValue();
  expect(link).toMatch(/\/r\/\w+$/);
  const copy = page.locator('.copy').filter({ has: field }).getByRole('button');
  await copy.click();
  await expect(copy).toHaveText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
});

test('the list pages past the first page, and signing out ends access', async ({ page, request }) => {
  for (let i = 0; i < 26; i++) await createSession(request, { order_id: `PAGE-${i}` });
  await signIn(page);
  await expect(page.getByRole('tab', { name: /All/ }).or(page.getByRole('link', { name: /^All/ }))).toBeVisible();
  const firstPageRows = await page.locator('tbody tr').count();
  expect(firstPageRows).toBe(25);
  await page.getByRole('link', { name: 'Next page →' }).click();
  await expect(page.getByRole('link', { name: '← First page' })).toBeVisible();
  expect(await page.locator('tbody tr').count()).toBeGreaterThan(0);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/dashboard\/sign-in$/);
  await page.goto(`${url()}/dashboard`);
  await expect(page).toHaveURL(/\/dashboard\/sign-in$/);
});

test('the open list shows new sessions and changed states without a reload', async ({ page, request }) => {
  await signIn(page);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  const fresh = await createSession(request, { order_id: `LIVE-${Date.now()}` });
  const row = page.getByRole('row', { name: new RegExp(fresh.id) });
  await expect(row).toContainText('Created', { timeout: 6_000 });
  await request.post(`${url()}/fn/pay`, {
    form: { session: fresh.id, email: 'live@example.com', card_number: '4000000000000002', card_expiry: '12/34', card_cvc: '123' },
    maxRedirects: 0,
  });
  await expect(row).toContainText('Failed', { timeout: 6_000 });
});
