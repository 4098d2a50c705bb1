import { defineConfig } from '@playwright/test';
import base from './playwright.config';

// Every way Kassa is started (starts.json), each started and checked alike.
// One at a time: `make run` takes port 3000 and builds first.
export default defineConfig({
  ...base,
  testDir: './launches',
  globalSetup: undefined,
  workers: 1,
  timeout: 10 * 60_000,
});
