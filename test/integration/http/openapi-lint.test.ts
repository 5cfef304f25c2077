import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_QUERY_LENGTH } from '#shared/domain/search-query.ts';
import { validateUscc } from '#shared/domain/uscc.ts';
import type { createApp } from '#shared/http/app.ts';
import { TAGS } from '#shared/http/openapi-conventions.ts';
import { demoApp } from '../../support/demo-app.ts';
import { useTestDynamo } from '../../support/local-table.ts';

type Schema = { pattern?: string; example?: unknown; maxLength?: number };
type Param = { name: string; in: string; schema: Schema };
type Operation = {
  operationId: string;
  tags?: string[];
  security?: Array<Record<string, unknown>>;
  parameters?: Param[];
  requestBody?: unknown;
  responses: Record<string, unknown>;
  'x-summary-zh'?: string;
};
type Doc = {
  tags: Array<{ name: string; description: string }>;
  paths: Record<string, Record<string, Operation>>;
};

const operations = (doc: Doc) =>
  Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, path, op })),
  );

describe('the OpenAPI document', () => {
  const dynamo = useTestDynamo();
  let app: ReturnType<typeof createApp>;
  let doc: Doc;
  let text: string;

  beforeAll(async () => {
    app = (await demoApp(dynamo, 1)).app;
    text = await (await app.request('/openapi.json')).text();
    doc = JSON.parse(text) as Doc;
  });

  it('passes `redocly lint` with the rules of redocly.yaml: no errors, no warnings', () => {
    const dir = mkdtempSync(join(tmpdir(), 'yimei-openapi-'));
    try {
      const file = join(dir, 'openapi.json');
      writeFileSync(file, text);
      const r = spawnSync(
        process.execPath,
        [
          'node_modules/@redocly/cli/bin/cli.js',
          'lint',
          file,
          '--config',
          'redocly.yaml',
          '--format',
          'stylish',
        ],
        {
          encoding: 'utf8',
          timeout: 120_000,
          env: {
            ...process.env,
            REDOCLY_TELEMETRY: 'off',
            REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
            NO_COLOR: '1',
          },
        },
      );
      const output = `${r.stdout}\n${r.stderr}`;
      expect(output).toContain('Your API description is valid');
      expect(output).not.toMatch(/\d+ warnings?\b/);
      expect(r.status, output).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 150_000);

  it('marks public operations `security: []` and the others bearer', () => {
    for (const { key, path, op } of operations(doc)) {
      const authenticated = path.startsWith('/v1/admin') || /contacts|upgrade-applications/.test(path);
      expect(op.security, key).toEqual(authenticated ? [{ bearer: [] }] : []);
    }
  });

  it('declares every tag it uses, each with a Chinese description', () => {
    const declared = new Set(doc.tags.map((t) => t.name));
    expect([...declared].sort()).toEqual(TAGS.map((t) => t.name).sort());
    for (const t of doc.tags) expect(t.description).toMatch(/[\u4e00-\u9fff]/);
    const withoutChinese: string[] = [];
    for (const { key, op } of operations(doc)) {
      expect(op.tags?.length, key).toBeGreaterThan(0);
      for (const tag of op.tags ?? []) expect(declared.has(tag), `${key}: ${tag}`).toBe(true);
      if (!/[\u4e00-\u9fff]/.test(op['x-summary-zh'] ?? '')) withoutChinese.push(`${key} ${op.operationId}`);
    }
    expect(withoutChinese).toEqual([]);
  });

  it('documents uscc with a pattern and an example whose check character is right', () => {
    const usccs = operations(doc).flatMap(({ op }) => (op.parameters ?? []).filter((p) => p.name === 'uscc'));
    expect(usccs.filter((p) => p.in === 'path').length).toBeGreaterThan(5);
    expect(usccs.filter((p) => p.in === 'query').length).toBeGreaterThan(0);
    for (const p of usccs) {
      expect(p.schema.pattern).toBeDefined();
      const example = String(p.schema.example);
      expect(example).toMatch(new RegExp(p.schema.pattern as string));
      expect(validateUscc(example)).toEqual({ ok: true, uscc: example });
      expect(new RegExp(p.schema.pattern as string).test('91330106MA2CFXKQ1I')).toBe(false);
    }
  });

  it(`says q is at most ${MAX_QUERY_LENGTH} characters, and the service agrees at the edge`, async () => {
    const q = doc.paths['/v1/institutions']?.get?.parameters?.find((p) => p.name === 'q');
    expect(q?.schema.maxLength).toBe(MAX_QUERY_LENGTH);
    const at = await app.request(`/v1/institutions?q=${encodeURIComponent('医'.repeat(MAX_QUERY_LENGTH))}`);
    expect(at.status).toBe(200);
    const past = await app.request(
      `/v1/institutions?q=${encodeURIComponent('a'.repeat(MAX_QUERY_LENGTH + 1))}`,
    );
    expect(past.status).toBe(400);
    expect(((await past.json()) as { errors: Array<{ path: string }> }).errors[0]?.path).toBe('q');
    // Decomposed characters count as they arrive, as JSON Schema counts them.
    const decomposed = await app.request(`/v1/institutions?q=${encodeURIComponent('e\u0301'.repeat(40))}`);
    expect(decomposed.status).toBe(400);
  });

  it('documents 413 and 415 on every body, 429 where requests are counted, 431 everywhere', () => {
    for (const { key, op } of operations(doc)) {
      expect(op.responses['431'], key).toBeDefined();
      if (op.requestBody) {
        expect(op.responses['413'], key).toBeDefined();
        expect(op.responses['415'], key).toBeDefined();
      }
    }
    expect(doc.paths['/v1/publicity/{resultId}/objections']?.post?.responses['429']).toBeDefined();
  });
});
