import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

/** Options shared by the local commands (API.md "Running locally"): flags win over the environment. */
export function parseLocalArgs(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      data: { type: 'string' },
      'no-demo': { type: 'boolean', default: false },
      now: { type: 'string' },
      date: { type: 'string' },
      role: { type: 'string' },
      district: { type: 'string' },
      uscc: { type: 'string' },
      sub: { type: 'string' },
      ttl: { type: 'string' },
      count: { type: 'string' },
    },
  });
  const dataDir = resolve(values.data ?? process.env.DATA_DIR ?? '.data');
  mkdirSync(dataDir, { recursive: true });
  return {
    positionals,
    port: Number(values.port ?? process.env.PORT ?? 3000),
    dataDir,
    demo: !values['no-demo'],
    now: values.now ?? process.env.NOW,
    date: values.date,
    role: values.role,
    district: values.district,
    uscc: values.uscc,
    sub: values.sub,
    ttl: values.ttl,
    count: values.count ? Number(values.count) : undefined,
  };
}

/** The secret local tokens are signed with. STAGE=prod refuses any configuration that carries it. */
export const LOCAL_JWT_SECRET = 'local-only-yimei-credit-signing-secret-not-for-production';
export const LOCAL_ISSUER = 'https://local.yimei-credit.invalid';
export const LOCAL_AUDIENCE = 'yimei-credit-local';

export function localEnvironment(opts: {
  port: number;
  endpoint: string;
  now?: string | undefined;
  dataDir: string;
}) {
  return {
    TABLE_NAME: 'yimei-credit',
    DYNAMODB_ENDPOINT: opts.endpoint,
    AWS_REGION: 'cn-north-1',
    PUBLIC_BASE_URL: process.env.PUBLIC_BASE_URL ?? `http://localhost:${opts.port}`,
    CURSOR_SECRET: process.env.CURSOR_SECRET ?? 'local-cursor-secret-0123456789',
    NOW: opts.now,
    CALENDAR_OVERRIDES: process.env.CALENDAR_OVERRIDES,
    JWT_ISSUER: LOCAL_ISSUER,
    JWT_AUDIENCE: LOCAL_AUDIENCE,
    JWT_SECRET: LOCAL_JWT_SECRET,
    STAGE: 'local',
    DATA_DIR: opts.dataDir,
  };
}

/** Locally the guidance group is a fictitious phone, so its publicity-ended notices show at /dev/notices. */
export const LOCAL_GUIDANCE_CONTACTS = JSON.stringify({ phones: ['13800000000'], wechatOpenIds: [] });
