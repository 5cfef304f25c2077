import { beforeEach, describe, expect, it } from 'vitest';
import { ConflictError } from '#shared/domain/errors.ts';
import { InstitutionReader } from '#shared/store/institution-reader.ts';
import { InstitutionWriter } from '#shared/store/institution-writer.ts';
import { useTestDynamo } from '../../support/local-table.ts';
import { privateFixture, profileFixture } from '../../support/profiles.ts';
import { searchRegister } from '../../support/register-search.ts';

describe('institution store against dynalite', () => {
  const dynamo = useTestDynamo();
  let reader: InstitutionReader;
  let writer: InstitutionWriter;

  beforeEach(async () => {
    const table = await dynamo.freshTable();
    reader = new InstitutionReader(dynamo.db, table);
    writer = new InstitutionWriter(dynamo.db, table);
  });

  const search = async (q: string) => (await searchRegister(reader, q)).map((r) => r.name);

  it('stores a profile and its private data apart', async () => {
    const p = profileFixture();
    await writer.create(p, privateFixture(p.uscc));
    expect(await reader.getProfile(p.uscc)).toEqual(p);
    expect((await reader.getPrivate(p.uscc))?.contacts.phones).toEqual(['13900001111']);
    expect(JSON.stringify(await reader.getProfile(p.uscc))).not.toContain('13900001111');
  });

  it('refuses a second registration of the same uscc', async () => {
    const p = profileFixture();
    await writer.create(p, privateFixture(p.uscc));
    await expect(writer.create({ ...p, name: '另一个名字' }, privateFixture(p.uscc))).rejects.toBeInstanceOf(
      ConflictError,
    );
    expect((await reader.getProfile(p.uscc))?.name).toBe(p.name);
  });

  it('lets exactly one of two writers that read the same version win', async () => {
    const p = profileFixture();
    await writer.create(p, privateFixture(p.uscc));
    const results = await Promise.allSettled([
      writer.saveProfile(p, { ...p, address: 'A' }),
      writer.saveProfile(p, { ...p, address: 'B' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected' && r.reason instanceof ConflictError)).toHaveLength(
      1,
    );
    const stored = await reader.getProfile(p.uscc, true);
    expect(stored?.version).toBe(2);
  });

  it('finds a name by two characters from its middle, by full pinyin and by initials', async () => {
    const p = profileFixture({ name: '西湖悦颜医疗美容诊所' });
    const other = profileFixture({ name: '滨江素妍医疗美容门诊部', kind: 'outpatient', district: '滨江区' });
    await writer.create(p, privateFixture(p.uscc));
    await writer.create(other, privateFixture(other.uscc));
    expect(await search('悦颜')).toEqual([p.name]);
    expect(await search('yueyan')).toEqual([p.name]);
    expect(await search('xhyy')).toEqual([p.name]);
    expect((await search('美容')).sort()).toEqual([p.name, other.name].sort());
    expect(await search('ＸＨＹＹ')).toEqual([p.name]);
  });

  it('finds an alias and forgets an old name after a rename', async () => {
    const p = profileFixture({ name: '旧名医疗美容诊所', aliases: ['小悦医美'] });
    await writer.create(p, privateFixture(p.uscc));
    expect(await search('小悦')).toEqual([p.name]);
    await writer.saveProfile(p, { ...p, name: '新名医疗美容诊所', aliases: [] });
    expect(await search('旧名')).toEqual([]);
    expect(await search('小悦')).toEqual([]);
    expect(await search('新名')).toEqual(['新名医疗美容诊所']);
  });

  it('keeps search hits in step with the grade and filters by it', async () => {
    const p = profileFixture({ name: '拱墅初禾医疗美容诊所', district: '拱墅区' });
    await writer.create(p, privateFixture(p.uscc));
    await writer.saveProfile(p, { ...p, grade: 'B', score: 88.5 });
    const hitB = await searchRegister(reader, '初禾', { grade: 'B' });
    expect(hitB.map((i) => [i.grade, i.score])).toEqual([['B', 88.5]]);
    expect(await searchRegister(reader, '初禾', { grade: 'A' })).toEqual([]);
  });

  it('ranks names that start with the query first, the exact name before longer ones', async () => {
    const names = ['杭州悦颜医疗美容诊所', '悦颜医疗美容诊所', '悦颜', '西湖悦颜诊所'];
    for (const name of names) {
      const p = profileFixture({ name });
      await writer.create(p, privateFixture(p.uscc));
    }
    const hits = await search('悦颜');
    expect(hits.slice(0, 2)).toEqual(['悦颜', '悦颜医疗美容诊所']);
    expect(hits.slice(2).sort()).toEqual(['杭州悦颜医疗美容诊所', '西湖悦颜诊所'].sort());
  });

  it('lists by district and grade through the index, in pinyin order', async () => {
    const a = profileFixture({ name: '爱美医疗美容诊所', grade: 'A', score: 96 });
    const b = profileFixture({ name: '百合医疗美容诊所', grade: 'A', score: 97 });
    const c = profileFixture({ name: '城西医疗美容诊所', grade: 'C', score: 80 });
    for (const p of [c, b, a]) await writer.create(p, privateFixture(p.uscc));
    const page = await reader.list({ filter: { district: '西湖区', grade: 'A' }, startKey: null, limit: 10 });
    expect(page.items.map((i) => i.name)).toEqual([a.name, b.name]);
    const byGrade = await reader.list({ filter: { grade: 'C' }, startKey: null, limit: 10 });
    expect(byGrade.items.map((i) => i.uscc)).toEqual([c.uscc]);
  });
});
