import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

const SYSTEM_BROWSERS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

// Flags that keep Chromium off the network: a closed network refuses its background connections.
const QUIET = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/**
 * A headless Chromium for the browser tests: a system one if installed (`BROWSER` names another), else the
 * Linux build that `@sparticuz/chromium` ships inside its npm package, so `npm ci && npm test` needs nothing
 * installed by hand. Fails with a message saying how to get one rather than skipping.
 */
export async function launchBrowser(): Promise<Browser> {
  const system = [process.env.BROWSER, ...SYSTEM_BROWSERS].find((p): p is string => !!p && existsSync(p));
  if (system) return chromium.launch({ executablePath: system, headless: true, args: QUIET });
  try {
    const packaged = (await import('@sparticuz/chromium')).default;
    return await launchWhenWritten(await packaged.executablePath());
  } catch (err) {
    throw new Error(
      `no browser could start (${(err as Error).message.split('\n')[0]}): run \`npm ci\` (it installs ` +
        '@sparticuz/chromium, a Linux x64/arm64 build), or install one (`apt-get install chromium`) or set BROWSER ' +
        'to its path',
    );
  }
}

/**
 * The packaged build is unpacked to one path under the temporary directory by whichever test process asks
 * first; another that finds the file there while it is still being written gets ETXTBSY from the launch.
 * Waits for the writer to finish (at most about 30 s) instead of failing the suite on a fresh machine.
 */
async function launchWhenWritten(executablePath: string): Promise<Browser> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await chromium.launch({ executablePath, headless: true, args: QUIET });
    } catch (err) {
      if (!(err as Error).message.includes('ETXTBSY') || attempt >= 60) throw err;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
