import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../infra/catalogue.ts';
import { PROJECT_ROOT } from '../../infra/constructs/service-function.ts';
import {
  CHINA_CONTEXT,
  envOf,
  profileTemplates,
  resourcesOf,
  serviceFunctionsOf,
  type Template,
  type TemplateResource,
} from '../support/infra.ts';

const page = readFileSync(join(PROJECT_ROOT, 'docs/deploy-china.md'), 'utf8');
const operations = readFileSync(join(PROJECT_ROOT, 'docs/operations.md'), 'utf8');

const NUMBERS: Record<string, number> = { five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10 };

/** The rows of the page's "What is encrypted with what" table: where → key. */
function encryptionTable(): Map<string, string> {
  const section = page.split('## What is encrypted with what')[1]?.split('\n## ')[0] ?? '';
  const rows = section
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('| data'))
    .map((l) => l.split('|').map((c) => c.trim()));
  return new Map(rows.map((cells) => [cells[2] ?? '', cells[3] ?? '']));
}

type Templates = Template[];
const all = (ts: Templates, type: string): TemplateResource[] =>
  ts.flatMap((t) => resourcesOf(t, type).map(([, r]) => r));
/** The logical id a KMS key reference points at (within the stack, or exported from the stateful one). */
const keyOf = (ref: unknown) => {
  const text = JSON.stringify(ref ?? null);
  return text.includes('DataKey') ? 'DataKey' : text === 'null' ? null : text;
};

/** How the templates encrypt what each row names, in words the table must start with. */
const CHECKS: Record<string, { key: string; holds: (ts: Templates) => boolean }> = {
  'DynamoDB table': {
    key: "the stack's KMS key",
    holds: (ts) => {
      const tables = [...all(ts, 'AWS::DynamoDB::Table'), ...all(ts, 'AWS::DynamoDB::GlobalTable')];
      return (
        tables.length === 1 &&
        tables.every(
          (t) =>
            keyOf((t.Properties.SSESpecification as { KMSMasterKeyId?: unknown })?.KMSMasterKeyId) ===
              'DataKey' || JSON.stringify(t.Properties.Replicas ?? '').includes('DataKey'),
        )
      );
    },
  },
  'notices topic': {
    key: "the stack's KMS key",
    holds: (ts) => all(ts, 'AWS::SNS::Topic').some((t) => keyOf(t.Properties.KmsMasterKeyId) === 'DataKey'),
  },
  'Secrets Manager secrets': {
    key: "the stack's KMS key",
    holds: (ts) => {
      const secrets = all(ts, 'AWS::SecretsManager::Secret');
      return secrets.length > 0 && secrets.every((s) => keyOf(s.Properties.KmsKeyId) === 'DataKey');
    },
  },
  'notice queues and their dead-letter queues': {
    key: 'SQS-managed keys (SSE-SQS)',
    holds: (ts) => {
      const queues = all(ts, 'AWS::SQS::Queue');
      return queues.every((q) => q.Properties.SqsManagedSseEnabled === true && !q.Properties.KmsMasterKeyId);
    },
  },
  'CloudWatch Logs log groups': {
    key: "CloudWatch Logs' own encryption",
    holds: (ts) => all(ts, 'AWS::Logs::LogGroup').every((g) => g.Properties.KmsKeyId === undefined),
  },
  'export bucket': {
    key: 'S3-managed keys (SSE-S3)',
    holds: (ts) =>
      all(ts, 'AWS::S3::Bucket').every((b) =>
        JSON.stringify(b.Properties.BucketEncryption).includes('"AES256"'),
      ),
  },
  'changes topic': {
    key: 'none',
    holds: (ts) => all(ts, 'AWS::SNS::Topic').some((t) => t.Properties.KmsMasterKeyId === undefined),
  },
};

describe.each([
  ['China (Beijing)', CHINA_CONTEXT],
  ['China (Ningxia)', { ...CHINA_CONTEXT, region: 'cn-northwest-1' }],
  ['global', {}],
])('the deploy pages against the %s templates', (_name, context) => {
  let templates: Templates;
  let stateless: Template;
  let functions: [string, TemplateResource][];
  beforeAll(() => {
    const synth = profileTemplates(context);
    stateless = synth.stateless;
    templates = [synth.stateful, synth.stateless, ...(synth.edge ? [synth.edge] : [])];
    functions = serviceFunctionsOf(stateless);
  });

  it('counts the functions the page says, each with the catalogue’s reserved concurrency', () => {
    const said = /the (\w+) functions of the catalogue/.exec(page)?.[1] ?? '';
    expect(NUMBERS[said]).toBe(functions.length);
    expect(functions).toHaveLength(FUNCTIONS.length);
    for (const spec of FUNCTIONS) {
      const fn = functions.find(([, f]) => envOf(f).POWERTOOLS_SERVICE_NAME === spec.name)?.[1];
      expect(fn?.Properties.ReservedConcurrentExecutions, spec.name).toBe(spec.reservedConcurrency);
    }
  });

  it('keeps every log group 180 days, as the page says', () => {
    expect(page).toContain('**180 days**');
    const groups = all(templates, 'AWS::Logs::LogGroup');
    expect(groups.length).toBeGreaterThan(FUNCTIONS.length);
    expect(groups.filter((g) => g.Properties.RetentionInDays !== 180)).toEqual([]);
  });

  it('encrypts each kind of data with the key the page’s table names', () => {
    const table = encryptionTable();
    expect([...table.keys()].sort()).toEqual(Object.keys(CHECKS).sort());
    for (const [where, check] of Object.entries(CHECKS)) {
      expect(table.get(where), where).toMatch(new RegExp(`^${check.key.replace(/[()]/g, '\\$&')}`));
      expect(check.holds(templates), where).toBe(true);
    }
  });

  it('runs the jobs one at a time as the operations page says (reserved concurrency of the jobs function)', () => {
    const said = /jobs\s+function has a reserved concurrency of (\d+)/.exec(operations)?.[1];
    const jobs = functions.find(([, f]) => envOf(f).POWERTOOLS_SERVICE_NAME === 'jobs')?.[1];
    expect(jobs?.Properties.ReservedConcurrentExecutions).toBe(Number(said));
  });
});

describe('the China deploy page', () => {
  it('does not claim a synth setting proves every resource type exists in China', () => {
    expect(page).not.toMatch(/accepted every resource type/);
    expect(page).toMatch(/`target-partitions`[\s\S]{0,200}proves nothing/);
  });
});
