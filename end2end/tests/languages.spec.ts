import { expect, test } from '@playwright/test';
import { Checkout, createSession } from './kassa';

// Each language as the customer's browser shows it: the server-rendered page
// and the island's words after hydration (checks, countdown, busy button).
const languages = [
  { locale: 'en', heading: 'Pay with card', card: 'Card number', total: '€25.00', pay: 'Pay €25.00', expires: /^Expires in \d/, missing: 'Enter your email address.' },
  { locale: 'de', heading: 'Mit Karte zahlen', card: 'Kartennummer', total: '25,00\u00a0€', pay: '25,00\u00a0€ zahlen', expires: /^Läuft ab in \d/, missing: 'Geben Sie Ihre E-Mail-Adresse ein.' },
  { locale: 'fr', heading: 'Payer par carte', card: 'Numéro de carte', total: '25,00\u00a0€', pay: 'Payer 25,00\u00a0€', expires: /^Expire dans \d/, missing: 'Saisissez votre adresse e-mail.' },
  { locale: 'es', heading: 'Pagar con tarjeta', card: 'Número de tarjeta', total: '25,00\u00a0€', pay: 'Pagar 25,00\u00a0€', expires: /^Caduca en \d/, missing: 'Introduce tu dirección de correo electrónico.' },
  { locale: 'nl', heading: 'Betalen met kaart', card: 'Kaartnummer', total: '€\u00a025,00', pay: '€\u00a025,00 betalen', expires: /^Verloopt over \d/, missing: 'Vul je e-mailadres in.' },
];

for (const l of languages) {
  test(`the checkout in ${l.locale}, chosen by the session`, async ({ page, request }) => {
    const session = await createSession(request, { locale: l.locale });
    await new Checkout(page).open(session.url);
    await expect(page.locator('html')).toHaveAttribute('lang', l.locale);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(l.heading);
    await expect(page.getByTestId('total')).toHaveText(l.total);
    await expect(page.getByTestId('expires')).toHaveText(l.expires);
    const pay = page.getByRole('button', { name: l.pay });
    await pay.click();
    await expect(page.locator('#email-error'), 'the island checks in the same language').toHaveText(l.missing);
    await expect(page.getByLabel(l.card)).toHaveAttribute('aria-invalid', 'true');
  });
}

test("without a session locale the browser's language is used", async ({ browser, request }) => {
  const context = await browser.newContext({ locale: 'fr-FR' });
  const page = await context.newPage();
  const session = await createSession(request);
  await new Checkout(page).open(session.url);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Payer par carte');
  await page.getByLabel('E-mail').fill('ada@example.com');
  await page.getByLabel('Numéro de carte').fill('4000 0000 0000 0002');
  await page.getByLabel('Date d’expiration (MM / AA)').fill('12 / 34');
  await page.getByLabel('Code de sécurité (CVC)').fill('123');
  await page.getByRole('button', { name: /^Payer / }).click();
  await expect(page.getByTestId('decline')).toContainText('Votre carte a été refusée.');
  await context.close();
});
