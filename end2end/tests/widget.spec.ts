import { expect, Page, test } from '@playwright/test';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { createSession, live, liveSession, partnerStatus, payWithStripe, routeToStripe, url } from './kassa';

// Two merchant pages on their own loopback origins: the shop, listed on the
// site as allowed to embed the checkout, and an unlisted one.
let shop: Server;
let elsewhere: Server;
const origin = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

function merchantPage(kassa: string) {
  return createServer((req, res) => {
    const query = new URL(req.url!, 'http://x').searchParams;
    const [attr, value] = [...query.entries()][0] ?? ['data-kassa-session', ''];
    const color = query.get('color') ? ` data-color="${query.get('color')}"` : '';
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html><head><title>Shop</title></head><body>
      <h1>Shop checkout</h1>
      <div id="checkout" ${attr}="${value}"${color} data-label="Buy the gift card"></div>
      <ol id="events"></ol>
      <script>
        for (const name of ['ready', 'paid', 'failed', 'expired', 'cancelled', 'unavailable']) {
          document.getElementById('checkout').addEventListener('kassa:' + name, (e) => {
            const li = document.createElement('li');
            li.textContent = name + ' ' + (e.detail.sessionId || '-') + (e.detail.reason ? ' ' + e.detail.reason : '');
            document.getElementById('events').appendChild(li);
          });
        }
      </script>
      <script src="${kassa}/widget.js" async></script>
    </body></html>`);
  });
}

const listen = (server: Server) => new Promise<void>((done) => server.listen(0, '127.0.0.1', done));

test.beforeAll(async () => {
  shop = merchantPage(url());
  elsewhere = merchantPage(url());
  await Promise.all([listen(shop), listen(elsewhere)]);
});

// Before each test, not once: the dashboard's tests beside these save the
// demo site's form, origins included, as they read it.
test.beforeEach(async ({ request }) => {
  const response = await request.post(`${url()}/v1/sites/${process.env.KASSA_SITE}`, {
    headers: { Authorization: `Bearer ${process.env.KASSA_KEY}` },
    data: { allowed_origins: [origin(shop)] },
  });
  expect(response.status()).toBe(200);
});

test.afterAll(() => {
  shop.close();
  elsewhere.close();
});

function watchErrors(page: Page) {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  return problems;
}

async function payInFrame(page: Page, card: string) {
  const frame = page.frameLocator('iframe[title="Checkout"]');
  await expect(frame.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await frame.getByLabel('Email').fill('ada@example.com');
  await frame.getByLabel('Card number').fill(card);
  await frame.getByLabel('Expiry (MM / YY)').fill('12 / 34');
  await frame.getByLabel('Security code (CVC)').fill('123');
  await frame.getByRole('button', { name: /^Pay / }).click();
  return frame;
}

test('the widget on a listed origin takes a decline, then 4242, and tells the page', async ({ page, request }) => {
  const problems = watchErrors(page);
  const session = await createSession(request);
  await page.goto(`${origin(shop)}/?data-kassa-session=${session.id}`);
  const events = page.locator('#events li');
  await expect(events.first()).toHaveText(`ready ${session.id}`);
  const iframe = page.locator('iframe[title="Checkout"]');
  // Sized to its content, not left at the starting height.
  await expect.poll(async () => (await iframe.boundingBox())!.height).not.toBe(520);

  await payInFrame(page, '4000 0000 0000 0002');
  await expect(events.nth(1)).toHaveText(new RegExp(`^failed ${session.id} .+`));
  const frame = await payInFrame(page, '4242 4242 4242 4242');
  await expect(frame.getByRole('heading', { name: 'Payment successful' })).toBeVisible();
  await expect(events.nth(2)).toHaveText(`paid ${session.id}`);
  await expect(events).toHaveCount(3);
  expect((await partnerStatus(request, session.id)).outcome).toBe('Succeeded');
  expect(problems).toEqual([]);
});

test('in live mode the widget loads Stripe.js in its frame and the card goes to Stripe', async ({ page, request }) => {
  await routeToStripe(request);
  const problems = watchErrors(page);
  const session = await liveSession(request);
  const posted: string[] = [];
  page.on('request', (r) => {
    if (r.url().startsWith(url()) && r.method() === 'POST') posted.push(r.postData() || '');
  });
  await page.goto(`${origin(shop)}/?data-kassa-session=${session.id}`);
  const events = page.locator('#events li');
  await expect(events.first()).toHaveText(`ready ${session.id}`);
  const frame = page.frameLocator('iframe[title="Checkout"]');
  await expect(frame.getByTestId('card-element').getByPlaceholder('number')).toBeVisible();
  await payWithStripe(frame, '4000000000000341');
  await expect(events.nth(1)).toHaveText(new RegExp(`^failed ${session.id} .+`));
  await payWithStripe(frame, '4242424242424242');
  await expect(frame.getByRole('heading', { name: 'Payment successful' })).toBeVisible();
  await expect(events.nth(2)).toHaveText(`paid ${session.id}`);
  expect((await live(request, `/v1/checkout/sessions/${session.id}`)).body.outcome).toBe('paid');
  expect(posted.join('\n')).not.toContain('4242424242424242');
  expect(posted.join('\n')).toContain('token=tok_');
  expect(problems).toEqual([]);
});

test('the customer cancels in the widget and the page hears kassa:cancelled', async ({ page, request }) => {
  const session = await createSession(request);
  await page.goto(`${origin(shop)}/?data-kassa-session=${session.id}`);
  const events = page.locator('#events li');
  await expect(events.first()).toHaveText(`ready ${session.id}`);
  const frame = page.frameLocator('iframe[title="Checkout"]');
  await expect(frame.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await frame.getByRole('button', { name: 'Cancel payment' }).click();
  await expect(frame.getByRole('heading', { name: 'This checkout was cancelled' })).toBeVisible();
  await expect(events.nth(1)).toHaveText(`cancelled ${session.id}`);
  await expect(events).toHaveCount(2);
  expect(await partnerStatus(request, session.id)).toMatchObject({ status: 'Cancelled', outcome: 'Cancelled' });
});

test('a page on an origin that is not listed cannot frame the checkout', async ({ page, request }) => {
  const session = await createSession(request);
  await page.goto(`${origin(elsewhere)}/?data-kassa-session=${session.id}`);
  await expect(page.locator('#events li')).toHaveText(['unavailable -'], { timeout: 15_000 });
  const fallback = page.getByRole('link', { name: 'Open the secure checkout' });
  await expect(fallback).toHaveAttribute('href', `${url()}/pay/${session.id}`);
  await expect(page.frameLocator('iframe[title="Checkout"]').getByLabel('Card number')).toHaveCount(0);
  // The browser fetched the page but would not show it: nothing was paid.
  const status = await partnerStatus(request, session.id);
  expect(status.outcome).toBeUndefined();
});

test('a buy button opens a payment link in place and reports the payment', async ({ page, request }) => {
  const created = await request.post(`${url()}/v1/payment_links`, {
    headers: { Authorization: `Bearer ${process.env.KASSA_KEY}` },
    data: { title: 'Gift card', currency: 'EUR', amount: 3000 },
  });
  const link = await created.json();
  await page.goto(`${origin(shop)}/?data-kassa-buy-button=${link.id}`);
  await page.getByRole('button', { name: 'Buy the gift card' }).click();
  const dialog = page.getByRole('dialog', { name: 'Checkout' });
  await expect(dialog).toBeVisible();
  const frame = await payInFrame(page, '4242 4242 4242 4242');
  await expect(frame.getByRole('heading', { name: 'Payment successful' })).toBeVisible();
  await expect(page.locator('#events li').last()).toHaveText(/^paid cs_\w+$/);
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();

  // The button's text reads on the merchant's colour: white on the default
  // blue, black on a light yellow.
  const textColour = () => page.getByRole('button', { name: 'Buy the gift card' }).evaluate((b) => getComputedStyle(b).color);
  expect(await textColour()).toBe('rgb(255, 255, 255)');
  await page.goto(`${origin(shop)}/?data-kassa-buy-button=${link.id}&color=${encodeURIComponent('#ffd400')}`);
  expect(await textColour()).toBe('rgb(0, 0, 0)');
});

test('in dark mode and German the widget and its frame follow the customer', async ({ browser, request }) => {
  const context = await browser.newContext({ colorScheme: 'dark', locale: 'de-DE' });
  const page = await context.newPage();
  const session = await createSession(request);
  await page.goto(`${origin(shop)}/?data-kassa-session=${session.id}`);
  await expect(page.locator('#events li').first()).toHaveText(`ready ${session.id}`);
  const frame = page.frameLocator('iframe[title="Bezahlen"]');
  await expect(frame.getByRole('heading', { level: 1 })).toHaveText('Mit Karte zahlen');
  await expect(frame.locator('html')).toHaveAttribute('lang', 'de');
  const background = await frame.locator('body').evaluate((body) => getComputedStyle(body).backgroundColor);
  expect(background, 'the frame is dark too').toBe('rgb(17, 20, 26)');
  await context.close();
});
