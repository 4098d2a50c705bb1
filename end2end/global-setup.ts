import { start } from './starts';

// Starts a real Kassa as starts.json's `browser-tests` entry says (a fresh
// SQLite file) and reads the demo it prints once; the tests talk to it over
// loopback HTTP.
export default async function globalSetup() {
  const port = Number(process.env.KASSA_E2E_PORT || '3310');
  const kassa = await start('browser-tests', port);
  process.env.KASSA_URL = kassa.url;
  process.env.KASSA_KEY = kassa.key;
  process.env.KASSA_LIVE_KEY = kassa.liveKey;
  process.env.KASSA_SITE = kassa.site;
  process.env.KASSA_DASHBOARD_EMAIL = kassa.email;
  process.env.KASSA_DASHBOARD_PASSWORD = kassa.password;
  return kassa.stop;
}
