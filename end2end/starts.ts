import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

// Every way Kassa is started is an entry of starts.json; this starts one.
export const root = resolve(__dirname, '..');

export interface Start {
  name: string;
  what: string;
  command: string[];
  cwd: string;
  addr?: string;
  env: Record<string, string>;
  relative_data?: boolean;
}

export const starts: Start[] = JSON.parse(readFileSync(join(__dirname, 'starts.json'), 'utf8')).starts;

/** What a first start prints: where to pay, and how to sign in. */
export interface Started {
  url: string;
  key: string;
  site: string;
  payUrl: string;
  email: string;
  password: string;
  output: () => string;
  stop: () => Promise<void>;
}

/** Refuses, with the reason, when something already listens on `addr`. */
async function free(addr: string) {
  const [host, port] = addr.split(':');
  await new Promise<void>((done, fail) => {
    const probe = createServer()
      .once('error', () => fail(new Error(`${addr} is taken: is a \`make run\` still running? Stop it and run the tests again.`)))
      .listen(Number(port), host, () => probe.close(() => done()));
  });
}

export async function start(name: string, port: number, timeoutMs = 60_000): Promise<Started> {
  const entry = starts.find((s) => s.name === name);
  if (!entry) throw new Error(`no start named ${name} in starts.json`);
  const addr = entry.addr ?? `127.0.0.1:${port}`;
  await free(addr);
  // `make run` keeps its data under the repository, named relatively as the
  // README's own `data` is; every other start gets a fresh temporary one.
  const data = entry.relative_data
    ? join('target', 'starts', `${name}-${process.pid}-${Date.now()}`)
    : mkdtempSync(join(tmpdir(), `kassa-${name}-`));
  // {stripe}: localstripe's address (.ci/with-localstripe.sh), or a closed port.
  const stripe = process.env.KASSA_TEST_STRIPE || 'http://127.0.0.1:9';
  const fill = (text: string) =>
    text.replaceAll('{root}', root).replaceAll('{data}', data).replaceAll('{addr}', addr).replaceAll('{stripe}', stripe);
  const env: Record<string, string> = { ...(process.env as Record<string, string>) };
  // As from a person's shell, not from inside `make test`.
  for (const name of ['MAKEFLAGS', 'MFLAGS', 'MAKELEVEL']) delete env[name];
  for (const [k, v] of Object.entries(entry.env)) env[k] = fill(v);
  const [command, ...args] = entry.command.map(fill);
  // Its own process group, so that stopping `make run` stops Kassa too.
  const child: ChildProcess = spawn(command, args, {
    cwd: join(root, entry.cwd),
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk) => (output += chunk.toString()));
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((done) => child.once('exit', done));
      process.kill(-child.pid!, 'SIGTERM');
      await exited;
    }
    rmSync(entry.relative_data ? join(root, data) : data, { recursive: true, force: true });
  };
  await new Promise<void>((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`${entry.what} did not start:\n${output}`)), timeoutMs);
    child.stdout!.on('data', () => {
      if (output.includes('Kassa listening on')) {
        clearTimeout(timer);
        ready();
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`${entry.what} exited with ${code}:\n${output}`));
    });
  }).catch(async (e) => {
    await stop();
    throw e;
  });
  const printed = (pattern: RegExp) => {
    const found = pattern.exec(output);
    if (!found) throw new Error(`${entry.what} did not print ${pattern}:\n${output}`);
    return found;
  };
  const signIn = printed(/sign in as (\S+) \/ (\S+)\)/);
  return {
    url: printed(/Kassa listening on (\S+)/)[1],
    key: printed(/API key:\s+(sk_test_\w+)/)[1],
    liveKey: printed(/Live key:\s+(sk_live_\w+)/)[1],
    site: printed(/Site id:\s+(site_\w+)/)[1],
    payUrl: printed(/Pay here:\s+(\S+)/)[1],
    email: signIn[1],
    password: signIn[2],
    output: () => output,
    stop,
  };
}
