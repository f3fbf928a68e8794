import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startTestServer, type TestServer } from './server.ts';

const CHROMIUM = '/usr/bin/chromium';

/** Where browser tests leave their screenshots and downloads. */
export const ARTIFACTS = join(process.cwd(), 'test-results');

/**
 * Debian's Chromium, headless, with nothing of its own on the network (no updates, sync or QUIC),
 * and the artifacts folder made; fails with how to install it when it is missing.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error('Debian chromium is missing: bash .ci/run installs it (apt-get install chromium)');
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A page at phone size (390×844) opened at `url`, and the script errors it records. */
export async function openPhonePage(
  browser: Browser,
  url: string,
  options: BrowserContextOptions = {},
): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, ...options });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(url);
  return { page, errors };
}

/** A browser suite's server and its pages. */
export interface BrowserSuite {
  /** The real server (its local web pages on), once the suite has started. */
  readonly server: TestServer;
  /** A phone-size page of the server at `path`, and the script errors it records. */
  open(path: string): Promise<{ page: Page; errors: string[] }>;
}

/**
 * Starts a real server (data in a fresh `prefix` folder, the local web pages on) and Chromium before
 * the suite's tests, and closes both after; pages open with `contextOptions`.
 */
export function useBrowserSuite(prefix: string, contextOptions: BrowserContextOptions = {}): BrowserSuite {
  let browser: Browser | undefined;
  let server: TestServer | undefined;
  let dataDir: string | undefined;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), prefix));
    server = await startTestServer({ dataDir, web: {} });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });
  return {
    get server() {
      if (!server) throw new Error('the browser suite has not started');
      return server;
    },
    open: (path) => openPhonePage(browser!, `${server!.url}${path}`, contextOptions),
  };
}
