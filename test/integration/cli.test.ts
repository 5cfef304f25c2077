import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const run = (script: string, args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', `scripts/${script}.ts`, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });

describe('the local commands explain themselves', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'yimei-cli-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  for (const [script, command] of [
    ['start', 'npm start'],
    ['job', 'npm run job'],
    ['token', 'npm run token'],
    ['import', 'npm run import'],
  ] as const) {
    it(`${command} -- --help prints the usage and exits 0`, () => {
      const r = run(script, ['--help']);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain(`usage: ${command} --`);
      expect(r.stderr).toBe('');
    });

    it(`${command} with an unknown option says so in one line, then the usage, and exits 2`, () => {
      const r = run(script, ['--bogus']);
      expect(r.status).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines[0]).toBe("error: Unknown option '--bogus'");
      expect(lines[1]).toContain(`usage: ${command} --`);
      expect(r.stderr).not.toContain('    at ');
    });

    it.each(['2026-02-30', '2026-04-31', '2026-02-29'])(
      `${command} --now %s (no such day) says so in one line naming --now and exits 2`,
      (day) => {
        const r = run(script, ['--now', `${day}T10:00:00+08:00`, '--data', dataDir]);
        expect(r.status).toBe(2);
        expect(r.stderr.split('\n')[0]).toMatch(
          /^error: --now must be a real instant .*; got 2026-0\d-\d\dT/,
        );
        expect(r.stderr).not.toContain('    at ');
      },
    );
  }

  it.each(['2026-02-30', '2026-04-31', '2026-02-29'])(
    'npm run job --date %s (no such day) says so naming --date and exits 2',
    (day) => {
      const r = run('job', ['reminders', '--date', day, '--data', dataDir]);
      expect(r.status).toBe(2);
      expect(r.stderr.split('\n')[0]).toBe(`error: --date must be a calendar day YYYY-MM-DD; got ${day}`);
    },
  );

  it.each([
    ['start', ['--port', 'abc'], '--port must be a whole number from 0 to 65535; got abc'],
    [
      'token',
      ['--role', 'city', '--ttl', '8x'],
      '--ttl must be a duration from 1s to 24h, like 3600, 30m or 8h; got 8x',
    ],
    [
      'token',
      ['--role', 'city', '--ttl', '25h'],
      '--ttl must be a duration from 1s to 24h, like 3600, 30m or 8h; got 25h',
    ],
    ['job', ['reminders', '--port=-1'], '--port must be a whole number from 0 to 65535; got -1'],
  ])('%s %j: one line naming the option, exit 2, no data directory', (script, args, message) => {
    const fresh = join(dataDir, `${script}-${args.join('')}`);
    const r = run(script, [...args, '--data', fresh]);
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(`error: ${message}`);
    expect(r.stderr).not.toContain('    at ');
    expect(existsSync(fresh)).toBe(false);
  });

  it('npm run token --ttl 30m mints a token that lives 30 minutes', () => {
    const r = run('token', ['--role', 'city', '--ttl', '30m', '--data', join(dataDir, 'token')]);
    expect(r.status).toBe(0);
    const token = r.stdout.trim().split('\n').at(-1) ?? '';
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as {
      iat: number;
      exp: number;
    };
    expect(claims.exp - claims.iat).toBe(1800);
  });

  it('npm start on a busy port says so in one line and exits 1, before the data directory or the demo exists', async () => {
    const blocker = createServer();
    blocker.listen(0, '0.0.0.0');
    await once(blocker, 'listening');
    const port = (blocker.address() as { port: number }).port;
    try {
      const proc = spawn(
        process.execPath,
        ['--import', 'tsx', 'scripts/start.ts', '--port', String(port), '--data', join(dataDir, 'busy')],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stderr = '';
      proc.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const [code] = await once(proc, 'exit');
      expect(code).toBe(1);
      expect(stderr.trim()).toBe(`port ${port} is in use; try --port ${port + 1}`);
      expect(existsSync(join(dataDir, 'busy'))).toBe(false);
    } finally {
      blocker.close();
    }
  }, 90_000);
});

describe('supported Node versions', () => {
  it('declares Node >= 20 in engines and 22 (production) in .nvmrc', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } };
    expect(pkg.engines.node).toBe('>=20');
    expect(readFileSync('.nvmrc', 'utf8').trim()).toBe('22');
  });
});
