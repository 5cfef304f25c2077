import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as z from 'zod';
import { isValidDate } from '#shared/domain/dates.ts';
import { dataDirSecrets } from '#shared/local/data-secrets.ts';
import { DEFAULT_RULEBOOK_ID, installRulebookFile } from '#shared/rulebook/current.ts';
import { RulebookError } from '#shared/rulebook/load.ts';

/** How each local command is called, printed by `--help` and after a wrong option. */
export const USAGE = {
  start: `usage: npm start -- [options]
  Runs the whole service on this machine (DynamoDB emulated on disk, demo data on first start).
  --port N        port to listen on (default 3000, env PORT)
  --host ADDR     address to listen on (default 127.0.0.1, this machine only; 0.0.0.0 exposes it; env HOST)
  --data DIR      data directory (default .data, or .data-<city> for another rulebook; env DATA_DIR)
  --rulebook FILE the city's rulebook (default rulebooks/hangzhou.json, env RULEBOOK)
  --no-demo       do not load demo data into a new data directory
  --expose-dev-pages  serve /dev/notices on a non-loopback --host too (default: loopback only)
  --trust-proxy   behind a proxy you run: the client's address is the last X-Forwarded-For hop (default: the socket's)
  --now ISO       a fixed clock, e.g. 2026-11-23T10:00:00+08:00 (env NOW)
  --help          this text`,
  job: `usage: npm run job -- NAME [--date YYYY-MM-DD] [--data DIR] [--now ISO]
  Runs one scheduled job for one day against the local data directory; while npm start
  holds that directory, the job runs inside the server.
  NAME            the job (the list is printed when NAME is unknown)
  --date DAY      the day to run for (default today)
  --help          this text`,
  token: `usage: npm run token -- --role ROLE [--district 西湖区] [--uscc USCC] [--association NAME] [--sub NAME] [--ttl 8h]
  Prints a bearer token the local server accepts, on the last line.
  --role ROLE     city, district, district_admin, guidance, institution or association
  --district D    required for district and district_admin
  --uscc USCC     required for institution
  --association A required for association, e.g. 中国整形美容协会
  --data DIR      the data directory of the server it is for: each has its own signing key (default as npm start)
  --help          this text`,
  import: `usage: npm run import -- FILE.xlsx|FILE.csv [--data DIR] [--role district --district 西湖区]
  Imports assessment results from a spreadsheet into the local data directory.
  --role ROLE     city (default) or district
  --district D    the district, with --role district
  --help          this text`,
} as const;

/** `--help`: the usage on stdout, exit 0. A wrong option: one line and the usage on stderr, exit 2. */
export function parseCommandArgs(command: keyof typeof USAGE, argv: string[]) {
  // The AWS SDK warns once per process that its 2027 releases need Node 22; local commands support Node >= 20
  // (package.json engines), so the notice is noise here. Set the variable to "false" to see it.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE[command]);
    process.exit(0);
  }
  try {
    return parseLocalArgs(argv);
  } catch (err) {
    if (err instanceof RulebookError) {
      // One line per problem, each naming the field path.
      console.error(`error: ${err.message}`);
      process.exit(1);
    }
    const message = String((err as Error).message ?? err).split(/\.\s|\n/)[0];
    console.error(`error: ${message}\n${USAGE[command]}`);
    process.exit(2);
  }
}

/** Options shared by the local commands (API.md "Running locally"): flags win over the environment. */
export function parseLocalArgs(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      data: { type: 'string' },
      'no-demo': { type: 'boolean', default: false },
      'trust-proxy': { type: 'boolean', default: false },
      'expose-dev-pages': { type: 'boolean', default: false },
      now: { type: 'string' },
      date: { type: 'string' },
      role: { type: 'string' },
      district: { type: 'string' },
      uscc: { type: 'string' },
      association: { type: 'string' },
      sub: { type: 'string' },
      ttl: { type: 'string' },
      count: { type: 'string' },
      rulebook: { type: 'string' },
    },
  });
  const now = values.now ?? process.env.NOW;
  // Checked here, so a wrong day is one line naming the option rather than a stack trace later.
  if (now !== undefined && !z.iso.datetime({ offset: true }).safeParse(now).success) {
    throw new Error(
      `--now must be a real instant with its offset, like 2026-11-23T10:00:00+08:00; got ${now}`,
    );
  }
  if (values.date !== undefined && !isValidDate(values.date)) {
    throw new Error(`--date must be a calendar day YYYY-MM-DD; got ${values.date}`);
  }
  const port = portOption(values.port ?? process.env.PORT);
  const host = values.host ?? process.env.HOST ?? '127.0.0.1';
  if (host.trim() === '') throw new Error('--host must name an address, like 127.0.0.1 or 0.0.0.0');
  const ttl = values.ttl === undefined ? undefined : ttlSeconds(values.ttl);
  if (values.count !== undefined && !/^[1-9]\d{0,5}$/.test(values.count)) {
    throw new Error(`--count must be a whole number from 1 to 999999; got ${values.count}`);
  }
  const book = installRulebookFile(values.rulebook ?? process.env.RULEBOOK);
  // Each city keeps its own register: another rulebook's districts would not match the data.
  const defaultDir = book.id === DEFAULT_RULEBOOK_ID ? '.data' : `.data-${book.id}`;
  // Only resolved here: the command creates it once every option has passed.
  const dataDir = resolve(values.data ?? process.env.DATA_DIR ?? defaultDir);
  return {
    positionals,
    port,
    // Only this machine by default: the local server accepts tokens anyone with the data directory can mint.
    host,
    dataDir,
    demo: !values['no-demo'],
    trustProxy: values['trust-proxy'],
    // The notice sink shows notices as sent: only this machine sees it unless the operator says otherwise.
    devPages: isLoopback(host) || values['expose-dev-pages'],
    now,
    date: values.date,
    role: values.role,
    district: values.district,
    uscc: values.uscc,
    association: values.association,
    sub: values.sub,
    ttl,
    count: values.count ? Number(values.count) : undefined,
    rulebook: book,
  };
}

/** Whether `host` is this machine only: 127.0.0.0/8, ::1 or localhost. */
export function isLoopback(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  return (
    h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || /^::ffff:127(\.\d{1,3}){3}$/.test(h)
  );
}

/** A TCP port (0 lets the system choose one); anything else is refused before the command creates anything. */
function portOption(value: string | undefined): number {
  if (value === undefined) return 3000;
  const port = /^\d{1,5}$/.test(value) ? Number(value) : Number.NaN;
  if (!(port <= 65535)) throw new Error(`--port must be a whole number from 0 to 65535; got ${value}`);
  return port;
}

/** `--ttl` as seconds: a whole number of seconds, or with `m` or `h` (`30m`, `8h`), at most 24 hours. */
function ttlSeconds(value: string): number {
  const match = /^(\d{1,6})([smh]?)$/.exec(value);
  const seconds = match ? Number(match[1]) * ({ s: 1, m: 60, h: 3600 }[match[2] || 's'] ?? 1) : 0;
  if (seconds < 1 || seconds > 24 * 3600) {
    throw new Error(`--ttl must be a duration from 1s to 24h, like 3600, 30m or 8h; got ${value}`);
  }
  return seconds;
}

export const LOCAL_ISSUER = 'https://local.yimei-credit.invalid';
export const LOCAL_AUDIENCE = 'yimei-credit-local';

export function localEnvironment(opts: {
  port: number;
  endpoint: string;
  now?: string | undefined;
  dataDir: string;
}) {
  const secrets = dataDirSecrets(opts.dataDir);
  return {
    TABLE_NAME: 'yimei-credit',
    DYNAMODB_ENDPOINT: opts.endpoint,
    AWS_REGION: 'cn-north-1',
    PUBLIC_BASE_URL: process.env.PUBLIC_BASE_URL ?? `http://localhost:${opts.port}`,
    CURSOR_SECRET: process.env.CURSOR_SECRET ?? secrets.cursorSecret,
    NOW: opts.now,
    CALENDAR_OVERRIDES: process.env.CALENDAR_OVERRIDES,
    JWT_ISSUER: LOCAL_ISSUER,
    JWT_AUDIENCE: LOCAL_AUDIENCE,
    // Tokens of `npm run token` on this directory; STAGE=prod refuses any configuration with JWT_SECRET.
    JWT_SECRET: secrets.jwtSecret,
    STAGE: 'local',
    DATA_DIR: opts.dataDir,
  };
}

/** Locally the guidance group is a fictitious phone, so its publicity-ended notices show at /dev/notices. */
export const LOCAL_GUIDANCE_CONTACTS = JSON.stringify({ phones: ['13800000000'], wechatOpenIds: [] });
