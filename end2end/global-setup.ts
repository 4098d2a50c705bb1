import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// Starts a real Kassa on a fresh SQLite file and reads the demo API key it
// prints once; the tests talk to it over loopback HTTP.
export default async function globalSetup() {
  const root = resolve(__dirname, '..');
  const dataDir = mkdtempSync(join(tmpdir(), 'kassa-e2e-'));
  const port = process.env.KASSA_E2E_PORT || '3310';
  const bin = process.env.KASSA_BIN || join(root, 'target/debug/kassa');
  const server = spawn(bin, [], {
    cwd: root,
    env: {
      ...process.env,
      KASSA_ADDR: `127.0.0.1:${port}`,
      KASSA_DATA_DIR: dataDir,
      LEPTOS_SITE_ROOT: join(root, 'target/site'),
      KASSA_SANDBOX_ASYNC_MS: '1500',
      RUST_LOG: 'warn',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  const ready = new Promise<void>((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`Kassa did not start:\n${output}`)), 60_000);
    server.stdout!.on('data', (chunk) => {
      output += chunk.toString();
      if (output.includes('Kassa listening on')) {
        clearTimeout(timer);
        resolveReady();
      }
    });
    server.on('exit', (code) => reject(new Error(`Kassa exited with ${code}:\n${output}`)));
  });
  await ready;
  process.env.KASSA_URL = `http://127.0.0.1:${port}`;
  process.env.KASSA_KEY = /API key:\s+(sk_test_\w+)/.exec(output)![1];
  process.env.KASSA_SITE = /Site id:\s+(site_\w+)/.exec(output)![1];
  const dashboard = /sign in as (\S+) \/ (\w+)\)/.exec(output)!;
  process.env.KASSA_DASHBOARD_EMAIL = dashboard[1];
  process.env.KASSA_DASHBOARD_PASSWORD = dashboard[2];
  return async () => {
    server.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  };
}
