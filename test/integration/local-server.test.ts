import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** Starts `npm start`'s script on a free port and resolves with its base URL once it listens. */
function startServer(
  dataDir: string,
  extra: string[] = [],
): Promise<{ url: string; proc: ChildProcess; log: () => string }> {
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
      ...extra,
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
        resolve({ url: match[1], proc, log: () => output });
      }
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onData);
    proc.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
}

async function stop(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    proc.once('exit', () => resolve());
    proc.kill('SIGTERM');
  });
}

const runScript = (script: string, args: string[]) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', `scripts/${script}.ts`, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    proc.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    proc.on('exit', (code) => resolve({ code, stdout, stderr }));
  });

describe('npm start on a new data directory with the demo', () => {
  // One server for the file: every test but the restart only reads from it or asks it something.
  const dataDir = mkdtempSync(join(tmpdir(), 'yimei-start-'));
  let server: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    server = await startServer(dataDir);
  }, 90_000);
  afterAll(async () => {
    await stop(server.proc);
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** The demo institution the tests look up, as the server built it for 2026-11-23. */
  const demoProfile = async () => {
    const { buildDemoData } = await import('#shared/local/demo.ts');
    const { WorkingDayCalendar } = await import('#shared/domain/calendar.ts');
    return buildDemoData({ count: 320, today: '2026-11-23', calendar: new WorkingDayCalendar() })
      .profiles[7]!;
  };

  it('serves demo data over the in-process database', async () => {
    expect(server.log()).toMatch(/demo data: 320 institutions/);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    const profile = await demoProfile();
    const detail = await fetch(`${server.url}/v1/institutions/${profile.uscc}`);
    expect(detail.status).toBe(200);
    expect(((await detail.json()) as { name: string }).name).toBe(profile.name);
  });

  it('runs the jobs at start, writes their notices to DATA_DIR/notices.jsonl and shows them at /dev/notices', async () => {
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
  });

  it('prints the URLs to open, and no warning but the calendar running short', async () => {
    // The banner is printed as one write; give the scheduler's first reports time not to matter.
    const banner = server.log();
    for (const path of ['/', '/docs', '/dev/notices', '/stats']) {
      expect(banner).toContain(`${server.url}${path}`);
      expect((await fetch(`${server.url}${path}`)).status).toBe(200);
    }
    expect(banner).toContain('npm run token');
    // On 2026-11-23 the calendar reaches 38 days ahead, under the 60 the start warns at; nothing else warns.
    const calendar =
      /^warning: the working-day calendar covers only (\d+) day\(s\) ahead \(through ([\d-]+)\)/m.exec(
        banner,
      );
    expect(calendar?.slice(1)).toEqual(['38', '2026-12-31']);
    expect(banner.replace(calendar?.[0] ?? '', '')).not.toMatch(/Warning|NodeVersionSupport|deprecat/i);
  });

  it("accepts a token minted by npm run token for its data directory, and no other directory's", async () => {
    const mint = async (dir: string) => {
      const r = await runScript('token', ['--role', 'city', '--data', dir]);
      expect(r.code, r.stderr).toBe(0);
      return r.stdout.trim().split('\n').at(-1) ?? '';
    };
    const other = mkdtempSync(join(tmpdir(), 'yimei-other-'));
    try {
      const ask = (token: string) =>
        fetch(`${server.url}/v1/admin/watch-list`, { headers: { Authorization: `Bearer ${token}` } });
      expect((await ask(await mint(dataDir))).status).toBe(200);
      const refused = await ask(await mint(other));
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer/);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  }, 60_000);

  it('compresses large answers when asked', async () => {
    const br = await fetch(`${server.url}/openapi.json`, { headers: { 'Accept-Encoding': 'br' } });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(((await br.json()) as { openapi: string }).openapi).toBe('3.1.0');
    const gzip = await fetch(`${server.url}/openapi.json`, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(gzip.headers.get('content-encoding')).toBe('gzip');
    await gzip.arrayBuffer();
  });

  it('refuses a second npm start on the same data directory in one line naming the holder', async () => {
    const r = await runScript('start', ['--port', '0', '--data', dataDir, '--no-demo']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(
      new RegExp(
        `^data directory ${dataDir} is in use by npm start \\(pid ${server.proc.pid} at ${server.url}, since `,
      ),
    );
  }, 60_000);

  it('runs npm run job through the running server', async () => {
    const r = await runScript('job', ['reminders', '--date', '2026-11-23', '--data', dataDir]);
    expect(r.stderr.trim()).toBe(
      `running reminders through the server at ${server.url} (pid ${server.proc.pid})`,
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ job: 'reminders', date: '2026-11-23' });
    const unknown = await runScript('job', ['nope', '--data', dataDir]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim().split('\n').at(-1)).toMatch(/^unknown job nope; jobs: reminders, /);
  }, 60_000);

  it('answers a raw Chinese query and oversized headers with problem bodies, not a bare status line', async () => {
    const raw = (request: string) =>
      new Promise<string>((resolve, reject) => {
        const port = Number(new URL(server.url).port);
        const socket = connect(port, '127.0.0.1', () => socket.end(Buffer.from(request, 'utf8')));
        let answer = '';
        socket.on('data', (c: Buffer) => {
          answer += c.toString('utf8');
        });
        socket.on('close', () => resolve(answer));
        socket.on('error', reject);
      });
    const chinese = await raw('GET /v1/institutions?q=西湖 HTTP/1.1\r\nHost: localhost\r\n\r\n');
    expect(chinese).toMatch(/^HTTP\/1\.1 400 /);
    expect(chinese).toContain('application/problem+json');
    expect(chinese).toContain('%E8%A5%BF%E6%B9%96');
    const big = await raw(`GET / HTTP/1.1\r\nHost: localhost\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(big).toMatch(/^HTTP\/1\.1 431 /);
    expect(JSON.parse(big.slice(big.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 431 });
  });

  it('keeps the job endpoint closed without the secret of the lock', async () => {
    const res = await fetch(`${server.url}/dev/jobs/reminders`, {
      method: 'POST',
      headers: { Authorization: 'Bearer guess' },
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('keeps the demo data across a restart without loading it again', async () => {
    const { uscc } = await demoProfile();
    await stop(server.proc);
    server = await startServer(dataDir);
    expect(server.log()).not.toMatch(/demo data/);
    expect((await fetch(`${server.url}/v1/institutions/${uscc}`)).status).toBe(200);
  }, 120_000);
});

describe('npm start --no-demo', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'yimei-expose-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts empty, and serves /dev/notices on a loopback address only unless --expose-dev-pages says otherwise, and says so at start', async () => {
    const exposed = await startServer(dataDir, ['--no-demo', '--host', '0.0.0.0']);
    try {
      expect(exposed.log()).not.toMatch(/demo data/);
      expect((await fetch(`${exposed.url}/health`)).status).toBe(200);
      expect(exposed.log()).toContain(
        'notices    not served: 0.0.0.0 is not a loopback address (--expose-dev-pages',
      );
      expect((await fetch(`${exposed.url}/dev/notices`)).status).toBe(404);
    } finally {
      await stop(exposed.proc);
    }
    const asked = await startServer(dataDir, ['--no-demo', '--host', '0.0.0.0', '--expose-dev-pages']);
    try {
      expect(asked.log()).toMatch(/notices {4}http:\/\/localhost:\d+\/dev\/notices/);
      expect((await fetch(`${asked.url}/dev/notices`)).status).toBe(200);
    } finally {
      await stop(asked.proc);
    }
  }, 120_000);
});
