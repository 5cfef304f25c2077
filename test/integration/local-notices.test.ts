import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/** Runs `npm start`'s script on a free port with demo data; resolves once it listens. */
function startServer(dataDir: string): Promise<{ url: string; proc: ChildProcess }> {
  const proc = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'scripts/start.ts',
      '--port',
      '0',
      '--data',
      dataDir,
      '--now',
      '2026-11-23T10:00:00+08:00',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/localhost:\d+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({ url: match[1], proc });
      }
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onData);
    proc.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
}

describe('local notices (npm start)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'yimei-notices-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('runs the jobs at start, writes their notices to DATA_DIR/notices.jsonl and shows them at /dev/notices', async () => {
    const server = await startServer(dataDir);
    try {
      const file = join(dataDir, 'notices.jsonl');
      // The scheduler runs right after the server listens; wait for its first notices.
      for (let i = 0; i < 100 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 200));
      const lines = readFileSync(file, 'utf8').trim().split('\n');
      expect(lines.length).toBeGreaterThan(0);
      const first = JSON.parse(lines[0]!) as { to: string; text: string };
      expect(first.to).toMatch(/\*{4}/);
      expect(first.text).toMatch(/[\u4e00-\u9fff]/);
      const page = await fetch(`${server.url}/dev/notices`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(await page.text()).toContain('本地通知');
    } finally {
      if (server.proc.exitCode === null) {
        await new Promise<void>((resolve) => {
          server.proc.once('exit', () => resolve());
          server.proc.kill('SIGTERM');
        });
      }
    }
  }, 120_000);
});
