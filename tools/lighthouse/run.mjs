// Lighthouse on the hosted checkout page: starts Kassa (the built site, a
// fresh SQLite database, loopback only), creates a session through the API,
// runs Lighthouse in Debian's Chromium for a phone and for a desktop, prints
// the four scores and writes them to target/lighthouse.json. Exits 1 when a
// score is under the budget (95), naming the audits that cost points.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import desktop from 'lighthouse/core/config/desktop-config.js';

const BUDGET = 95;
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'];
// Not import.meta.dirname: Debian 12's Node 18 lacks it.
const root = fileURLToPath(new URL('../..', import.meta.url));
const port = process.env.KASSA_LIGHTHOUSE_PORT || '3330';
const base = `http://127.0.0.1:${port}`;

// Started as end2end/starts.json's `lighthouse` entry says, like every other start.
async function startKassa() {
  const dataDir = mkdtempSync(join(tmpdir(), 'kassa-lighthouse-'));
  const entry = JSON.parse(readFileSync(join(root, 'end2end/starts.json'), 'utf8')).starts.find((s) => s.name === 'lighthouse');
  const fill = (text) => text.replaceAll('{root}', root.replace(/\/$/, '')).replaceAll('{data}', dataDir).replaceAll('{addr}', `127.0.0.1:${port}`);
  const env = { ...process.env };
  for (const [name, value] of Object.entries(entry.env)) env[name] = fill(value);
  const [command, ...args] = entry.command.map(fill);
  const server = spawn(command, args, { cwd: join(root, entry.cwd), env, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  await new Promise((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`Kassa did not start:\n${output}`)), 60_000);
    server.stdout.on('data', (chunk) => {
      output += chunk;
      if (output.includes('Kassa listening on')) {
        clearTimeout(timer);
        ready();
      }
    });
    server.on('exit', (code) => fail(new Error(`Kassa exited with ${code}:\n${output}`)));
  });
  const key = /API key:\s+(sk_test_\w+)/.exec(output)[1];
  const stop = () => {
    server.kill();
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { key, stop };
}

async function createSession(key) {
  const response = await fetch(`${base}/v1/checkout/sessions`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      currency: 'EUR',
      line_items: [{ name: 'Espresso beans 1 kg', quantity: 1, unit_amount: 2500 }],
      success_url: 'https://shop.example/thanks',
      cancel_url: 'https://shop.example/cart',
    }),
  });
  if (response.status !== 201) throw new Error(`session create: ${response.status} ${await response.text()}`);
  return (await response.json()).url;
}

async function audit(url, chrome, config) {
  const result = await lighthouse(url, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: CATEGORIES }, config);
  const lhr = result.lhr;
  const scores = Object.fromEntries(CATEGORIES.map((c) => [c, Math.round(lhr.categories[c].score * 100)]));
  // What cost points: audits that count towards a category and did not pass.
  const lost = CATEGORIES.flatMap((c) =>
    lhr.categories[c].auditRefs
      .filter((ref) => ref.weight > 0 && lhr.audits[ref.id].score !== null && lhr.audits[ref.id].score < 1)
      .map((ref) => `${c}: ${ref.id} (${lhr.audits[ref.id].displayValue || lhr.audits[ref.id].score})`),
  );
  const metrics = ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'cumulative-layout-shift', 'speed-index']
    .map((id) => `${id} ${lhr.audits[id].displayValue}`);
  return { scores, lost, metrics };
}

const kassa = await startKassa();
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
let failed = false;
const report = {};
try {
  for (const [form, config] of [['mobile', undefined], ['desktop', desktop]]) {
    // A fresh session each time: a first visit, as a customer makes it.
    const url = await createSession(kassa.key);
    const { scores, lost, metrics } = await audit(url, chrome, config);
    report[form] = { scores, lost, metrics };
    console.log(`Lighthouse, hosted checkout page, ${form}: ` + CATEGORIES.map((c) => `${c} ${scores[c]}`).join(', '));
    console.log(`  ${metrics.join(', ')}`);
    for (const line of lost) console.log(`  lost points: ${line}`);
    if (CATEGORIES.some((c) => scores[c] < BUDGET)) failed = true;
  }
} finally {
  await chrome.kill();
  kassa.stop();
}
writeFileSync(join(root, 'target/lighthouse.json'), JSON.stringify(report, null, 2));
if (failed) {
  console.error(`a score is under ${BUDGET}`);
  process.exit(1);
}
