import { APIRequestContext, Browser, expect, Page, test } from '@playwright/test';
import { Checkout, createSession, partnerStatus, url } from './kassa';

// Every change a customer or merchant makes is a Leptos server function
// posted by a plain form: each is driven here through its page, with
// JavaScript on and with it off, and what the page says afterwards is read
// from the stored state.

const auth = () => ({ Authorization: `Bearer ${process.env.KASSA_KEY}` });

async function open(browser: Browser, javaScriptEnabled: boolean) {
  const context = await browser.newContext({ javaScriptEnabled });
  return { context, page: await context.newPage() };
}

/** Waits for the island when JavaScript runs, so typing is not lost to hydration. */
async function loaded(page: Page, javaScriptEnabled: boolean) {
  if (javaScriptEnabled) await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
}

async function paidSession(request: APIRequestContext, email: string) {
  const session = await createSession(request, { customer_email: email });
  const pay = await request.post(`${url()}/fn/pay`, {
    form: { session: session.id, email, card_number: '4242424242424242', card_expiry: '12/34', card_cvc: '123' },
    maxRedirects: 0,
  });
  expect(pay.status()).toBe(303);
  return session;
}

for (const javaScriptEnabled of [true, false]) {
  const mode = javaScriptEnabled ? 'JavaScript on' : 'JavaScript off';

  test(`the customer's forms: pay, retry, 3-D Secure, a link's amount (${mode})`, async ({ browser, request }) => {
    const { context, page } = await open(browser, javaScriptEnabled);
    const checkout = new Checkout(page);

    // pay: a mistake, a decline, then the retry that pays.
    const session = await createSession(request);
    await checkout.open(session.url, { hydrated: javaScriptEnabled });
    await checkout.pay('4242 4242', { email: 'ada@example.com' });
    await expect(page.getByText('Your card number is incomplete.')).toBeVisible();
    await expect(page.getByLabel('Email')).toHaveValue('ada@example.com');
    await expect(page.getByLabel('Card number')).toHaveValue(javaScriptEnabled ? '4242 4242' : '');
    await checkout.pay('4000 0000 0000 0002');
    await expect(page.getByTestId('decline')).toContainText('Your card was declined.');
    await loaded(page, javaScriptEnabled);
    await checkout.pay('4242 4242 4242 4242');
    await expect(page.getByRole('heading', { name: 'Payment successful' })).toBeVisible();
    expect(await partnerStatus(request, session.id)).toMatchObject({ status: 'Completed' });

    // answer_challenge: failed, then approved.
    for (const [answer, after] of [
      ['Fail authentication', 'Your bank could not verify this payment.'],
      ['Complete authentication', 'Payment successful'],
    ]) {
      const challenged = await createSession(request, { success_url: undefined });
      await checkout.open(challenged.url, { hydrated: javaScriptEnabled });
      await checkout.pay('4000 0027 6000 3184');
      await page.getByRole('button', { name: answer }).click();
      await expect(page.getByText(after).first()).toBeVisible();
    }

    // choose_on_link: an amount out of bounds comes back with the amount typed, then one that fits.
    const title = `Tip jar ${mode} ${Date.now()}`;
    const made = await request.post(`${url()}/v1/payment_links`, {
      headers: auth(),
      data: { title, currency: 'EUR', min_amount: 500, max_amount: 10000 },
    });
    expect(made.status()).toBe(201);
    await page.goto((await made.json()).url);
    await page.getByLabel('Amount (EUR)').fill('3');
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await expect(page.getByTestId('link-error')).toHaveText('Choose an amount between €5.00 and €100.00.');
    await expect(page.getByLabel('Amount (EUR)')).toHaveValue('3');
    await page.getByLabel('Amount (EUR)').fill('12.50');
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await loaded(page, javaScriptEnabled);
    await checkout.pay('4242 4242 4242 4242');
    await expect(page.getByRole('heading', { name: 'Payment successful' })).toBeVisible();
    await context.close();
  });

  test(`the dashboard's forms: sign-in, session actions, links, webhooks, sites, sign-out (${mode})`, async ({
    browser,
    request,
  }) => {
    const { context, page } = await open(browser, javaScriptEnabled);
    const notice = page.getByRole('status').filter({ hasNotText: /^$/ });
    const alert = page.getByRole('alert');

    // sign_in: refused with the email kept, then in.
    await page.goto(`${url()}/dashboard/sign-in`);
    await page.getByLabel('Email').fill(process.env.KASSA_DASHBOARD_EMAIL!);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(alert).toHaveText('Wrong email or password.');
    await expect(page.getByLabel('Email')).toHaveValue(process.env.KASSA_DASHBOARD_EMAIL!);
    await page.getByLabel('Password').fill(process.env.KASSA_DASHBOARD_PASSWORD!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('heading', { name: 'Checkout sessions' })).toBeVisible();

    // create_endpoint (refused, then made: its secret shown once), switch, test, roll.
    const hook = `https://hooks.example/${javaScriptEnabled ? 'on' : 'off'}-${Date.now()}`;
    await page.goto(`${url()}/dashboard/webhooks`);
    await page.getByLabel('URL').fill('ftp://nope.example');
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await expect(alert).toHaveText('`url` must be an http or https URL');
    await page.getByLabel('URL').fill(hook);
    await page.getByLabel('refund.created').check();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await expect(page.getByTestId('secret')).toContainText('whsec_');
    const endpoint = page.getByRole('region', { name: `Endpoint ${hook}` });
    await expect(endpoint).toContainText('Events: refund.created');
    await endpoint.getByRole('button', { name: 'Disable' }).click();
    await expect(page.getByTestId('secret')).toHaveCount(0);
    await expect(endpoint.getByTestId('endpoint-status')).toHaveText('disabled');
    await endpoint.getByRole('button', { name: 'Enable' }).click();
    await expect(endpoint.getByTestId('endpoint-status')).toHaveText('enabled');
    await endpoint.getByRole('button', { name: 'Send test event' }).click();
    await expect(notice).toHaveText('A test event is on its way.');
    await endpoint.getByRole('button', { name: 'Roll secret' }).click();
    await expect(page.getByTestId('secret')).toContainText('whsec_');

    // refund_session (refused, then half), resend_receipt, redeliver_webhook.
    const email = `functions-${Date.now()}@example.com`;
    const paid = await paidSession(request, email);
    await page.goto(`${url()}/dashboard/sessions/${paid.id}`);
    await page.getByLabel(/Refund amount/).fill('30.00');
    await page.getByRole('button', { name: 'Refund', exact: true }).click();
    await expect(alert).toContainText('more than the 2500 that remains');
    await page.getByLabel(/Refund amount/).fill('12.50');
    await page.getByRole('button', { name: 'Refund', exact: true }).click();
    await expect(notice).toHaveText('Refund made.');
    await expect(page.getByText('Refunded €12.50').first()).toBeVisible();
    await page.getByRole('button', { name: 'Resend receipt' }).click();
    await expect(notice).toHaveText('The receipt will be sent again in a moment.');
    await page.getByRole('row', { name: new RegExp(hook) }).first().getByRole('button', { name: 'Send again' }).click();
    await expect(notice).toHaveText('The webhook will be sent again in a moment.');

    // expire_session, recover_session, cancel_session.
    const open_ = await createSession(request, { customer_email: email });
    await page.goto(`${url()}/dashboard/sessions/${open_.id}`);
    await page.getByRole('button', { name: 'Expire now' }).click();
    await expect(notice).toHaveText('The session has expired; the customer can no longer pay it.');
    await page.getByRole('button', { name: 'Create recovery link' }).click();
    await expect(notice).toContainText('This is a new session with the same items and customer');
    await expect(page).not.toHaveURL(new RegExp(open_.id));
    await page.getByRole('button', { name: 'Cancel session' }).click();
    await expect(notice).toHaveText('The session is cancelled.');

    // create_link (refused, then made), rename_link, switch_link.
    const title = `Mug ${mode} ${Date.now()}`;
    await page.goto(`${url()}/dashboard/links`);
    const form = page.getByRole('region', { name: 'New payment link' });
    await form.getByLabel('Title').fill(title);
    await form.getByLabel('Price (fixed)').fill('abc');
    await form.getByRole('button', { name: 'Create link' }).click();
    await expect(alert).toHaveText('`abc` is not an amount.');
    await form.getByLabel('Title').fill(title);
    await form.getByLabel('Price (fixed)').fill('12.50');
    await form.getByRole('button', { name: 'Create link' }).click();
    await expect(notice).toHaveText(`Payment link “${title}” made.`);
    const link = page.getByRole('region', { name: `Payment link ${title}` });
    await link.getByLabel('Title').fill(`Big ${title}`);
    await link.getByRole('button', { name: 'Rename' }).click();
    await expect(notice).toHaveText('Link renamed.');
    const renamed = page.getByRole('region', { name: `Payment link Big ${title}` });
    await renamed.getByRole('button', { name: 'Deactivate' }).click();
    await expect(notice).toHaveText('Link switched off.');
    await expect(renamed).toContainText('inactive');

    // save_site: a refused origin changes nothing; saving as it is, nothing either.
    // (The page after the refusal shows the stored origins: the widget's
    // tests, running beside these, set the demo site's own.)
    await page.goto(`${url()}/dashboard/sites`);
    const site = page.getByRole('region', { name: /^Site / }).first();
    const origins = site.getByLabel('Websites that may embed the checkout');
    const before = await origins.inputValue();
    await origins.fill(`${before}\nhttps://shop.example/cart`);
    await site.getByRole('button', { name: 'Save' }).click();
    await expect(alert).toContainText('must be an origin only');
    await expect(origins).not.toHaveValue(/shop\.example\/cart/);
    await site.getByRole('button', { name: 'Save' }).click();
    await expect(notice).toContainText('saved.');

    // delete_endpoint, then sign_out.
    await page.goto(`${url()}/dashboard/webhooks`);
    await endpoint.getByRole('button', { name: 'Delete' }).click();
    await expect(notice).toHaveText('Endpoint deleted: nothing more is sent to it.');
    await expect(endpoint).toHaveCount(0);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/dashboard\/sign-in$/);
    await page.goto(`${url()}/dashboard`);
    await expect(page).toHaveURL(/\/dashboard\/sign-in$/);
    await context.close();
  });
}
