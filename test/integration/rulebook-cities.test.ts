import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildPublicDeps, calendarFrom } from '#shared/bootstrap.ts';
import { createPublicApp } from '#shared/http/app.ts';
import { buildDemoData, loadDemoData } from '#shared/local/demo.ts';
import { installRulebook } from '#shared/rulebook/current.ts';
import { loadRulebookFile } from '#shared/rulebook/load.ts';
import { testConfig } from '../support/config.ts';
import { body } from '../support/http.ts';
import { useTestDynamo } from '../support/local-table.ts';

describe('each shipped rulebook runs the service', () => {
  const dynamo = useTestDynamo();
  afterAll(async () => {
    installRulebook(loadRulebookFile('rulebooks/hangzhou.json'));
  });

  it.each(['rulebooks/hangzhou.json', 'rulebooks/ningbo.json'])(
    '%s: /v1/stats lists its districts and the pages carry its city',
    async (file) => {
      const book = loadRulebookFile(file);
      installRulebook(book);
      const table = await dynamo.freshTable();
      const deps = buildPublicDeps(testConfig({ TABLE_NAME: table }), dynamo.db);
      const data = buildDemoData({
        count: 30,
        today: deps.clock.today(),
        calendar: calendarFrom(testConfig()),
      });
      await loadDemoData(dynamo.db, table, data);
      const app = createPublicApp(deps);

      const stats: { districts: { district: string }[]; total: { institutions: number } } = await body(
        await app.request('/v1/stats'),
      );
      expect(stats.districts.map((d) => d.district)).toEqual(book.districts.map((d) => d.name));
      expect(stats.total.institutions).toBe(30);
      expect(data.profiles.every((p) => p.address.startsWith(book.city.name))).toBe(true);
      const page = await (await app.request('/')).text();
      expect(page).toContain(`<title>查询机构 · ${book.wording.siteTitle}</title>`);
      const other = book.id === 'hangzhou' ? '海曙区' : '西湖区';
      expect((await app.request(`/v1/institutions?district=${encodeURIComponent(other)}`)).status).toBe(400);
    },
  );

  it('npm start refuses an invalid rulebook with one line per problem naming the field path', () => {
    const raw = JSON.parse(readFileSync('rulebooks/ningbo.json', 'utf8'));
    raw.revisions[0].grades[1].min = '85';
    raw.districts[0].code = '3302';
    const dir = mkdtempSync(join(tmpdir(), 'rulebook-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify(raw));
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'scripts/start.ts', '--rulebook', file, '--data', dir],
      {
        encoding: 'utf8',
      },
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('districts[0].code: expected a 6-digit administrative code\n');
    expect(run.stderr).toContain('revisions[0].grades[1].min: expected number');
  });
});
