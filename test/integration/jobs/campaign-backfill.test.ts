import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { CAMPAIGN_BACKFILL_JOB, CampaignBackfillJob } from '#shared/jobs/campaign-backfill.ts';
import type { JobReport } from '#shared/jobs/job.ts';
import { applicationId } from '#shared/services/upgrades.ts';
import { CampaignKeyBackfill, type KeyingCount } from '#shared/store/campaign-key-backfill.ts';
import { EventStore } from '#shared/store/events.ts';
import { accessPatterns, keys, partitionQuery } from '#shared/store/keys.ts';
import { RegisterRows } from '#shared/store/register-rows.ts';
import {
  type AdminHarness,
  adminHarness,
  clinicApplyingForUpgrade,
  clinicIn,
  expectStatus,
  publishedClinic,
  scoreResult,
} from '../../support/admin.ts';
import { body } from '../../support/http.ts';
import { useTestDynamo } from '../../support/local-table.ts';

type Item = Record<string, unknown>;

/**
 * A campaign built through the API, then taken back to how items were stored before the campaign keys
 * existed (results and applications without gsi3, one application under the plain id of that time,
 * a register row without `registeredOn`), so only the backfill can bring them back into the campaign;
 * and register rows without `address` (one of them also undated), which only the backfill makes
 * findable by the words of their address.
 */
describe('campaign-backfill job against dynalite', () => {
  const dynamo = useTestDynamo();
  let h: AdminHarness;
  const u = { published: '', upgrading: '', scored: '', legacy: '', late: '' };
  let scoredId = '';
  let itemsBefore: Item[] = [];

  const getItem = async (key: { pk: string; sk: string }) =>
    (await dynamo.db.send(new GetCommand({ TableName: h.table, Key: key, ConsistentRead: true })))
      .Item as Item;

  async function resultKeysOf(uscc: string): Promise<Array<{ pk: string; sk: string }>> {
    const out = await dynamo.db.send(
      new QueryCommand({
        TableName: h.table,
        ...partitionQuery(accessPatterns.resultsOfInstitution(uscc)),
      }),
    );
    return (out.Items ?? []).map((i) => ({ pk: String(i.pk), sk: String(i.sk) }));
  }

  /** The items the campaign reads, as the store holds them now. */
  async function campaignItems(): Promise<Item[]> {
    const resultKeys = (
      await Promise.all([u.published, u.upgrading, u.scored].map((uscc) => resultKeysOf(uscc)))
    ).flat();
    return Promise.all(
      [
        ...resultKeys,
        keys.upgradeApplication(applicationId(h.deps.cursorSecret, u.upgrading, 2026)),
        keys.upgradeApplication(`${u.legacy}-2026`),
      ].map(getItem),
    );
  }

  const withoutCampaignKey = ({ gsi3pk: _p, gsi3sk: _s, ...rest }: Item) => rest;

  beforeAll(async () => {
    h = await adminHarness(dynamo);
    const xihu = await h.token('district', { district: '西湖区' });
    u.published = (await publishedClinic(h, 88)).uscc;
    u.upgrading = await clinicApplyingForUpgrade(h, 86);
    const scored = clinicIn('西湖区');
    u.scored = scored.uscc;
    await expectStatus(h.call('POST', '/v1/admin/institutions', xihu, scored), 201);
    scoredId = (await scoreResult(h, xihu, scored.uscc, 80)).id;
    const legacy = clinicIn('西湖区');
    u.legacy = legacy.uscc;
    await expectStatus(h.call('POST', '/v1/admin/institutions', xihu, legacy), 201);
    // Registered in January 2027, so not in the 2026 campaign, which only its row's date can tell.
    const late = clinicIn('西湖区');
    u.late = late.uscc;
    const back = h.clock.now().toISOString();
    h.clock.set('2027-01-05T10:00:00+08:00');
    await expectStatus(h.call('POST', '/v1/admin/institutions', xihu, late), 201);
    h.clock.set(back);

    // The old way: no campaign key on any result or application, and an application under the id
    // applications had before ids were keyed with the secret.
    for (const item of await campaignItems().then((items) => items.slice(0, -1))) {
      await dynamo.db.send(
        new UpdateCommand({
          TableName: h.table,
          Key: { pk: item.pk, sk: item.sk },
          UpdateExpression: 'REMOVE gsi3pk, gsi3sk',
        }),
      );
    }
    await dynamo.db.send(
      new PutCommand({
        TableName: h.table,
        Item: {
          ...keys.upgradeApplication(`${u.legacy}-2026`),
          id: `${u.legacy}-2026`,
          uscc: u.legacy,
          year: 2026,
          selfScore: 95,
          report: '自评报告',
          gradeAtApplication: 'C',
          submittedOn: '2026-11-20',
          submittedBy: 'test-institution',
          status: 'pending',
          decidedOn: null,
          decidedBy: null,
          decisionReason: null,
          assessmentId: null,
          banUntil: null,
          version: 1,
        },
      }),
    );
    await dynamo.db.send(
      new UpdateCommand({
        TableName: h.table,
        Key: keys.private(u.legacy),
        UpdateExpression: 'SET upgradeYears = :years',
        ExpressionAttributeValues: { ':years': [2026] },
      }),
    );
    await dynamo.db.send(
      new UpdateCommand({
        TableName: h.table,
        Key: keys.registerRow(u.late),
        UpdateExpression: 'REMOVE registeredOn, address',
      }),
    );
    await dynamo.db.send(
      new UpdateCommand({
        TableName: h.table,
        Key: keys.registerRow(u.legacy),
        UpdateExpression: 'REMOVE address',
      }),
    );
    itemsBefore = await campaignItems();
  });

  async function stages(): Promise<Record<string, [string, string]>> {
    const city = await h.token('city');
    const page = await body(
      await expectStatus(h.call('GET', '/v1/admin/campaigns/2026/institutions?limit=50', city), 200),
    );
    return Object.fromEntries(
      (page.items as Array<{ uscc: string; basis: string; stage: string }>)
        .filter((e) => Object.values(u).includes(e.uscc))
        .map((e) => [e.uscc, [e.basis, e.stage]]),
    );
  }

  /** Invokes the job (two institutions an invocation) until a pass completes. */
  async function wholePass(db: DynamoDBDocumentClient = dynamo.db) {
    const job = new CampaignBackfillJob({
      store: new CampaignKeyBackfill(db, h.table, new RegisterRows(db, h.table)),
      clock: h.clock,
      cursorSecret: h.deps.cursorSecret,
      maxInstitutions: 2,
      pageSize: 1,
    });
    const reports: JobReport[] = [];
    do {
      reports.push(await job.run(h.clock.today()));
      expect(reports.length).toBeLessThan(10);
    } while (reports.at(-1)?.complete !== true);
    return reports;
  }

  /** The table, but `write` runs (once) just before the backfill's first UpdateItem of `key`. */
  function writingFirst(key: { pk: string; sk: string }, write: () => Promise<void>) {
    let wrote = false;
    const db = {
      send: async (command: { input: { Key?: { pk?: string; sk?: string } } }) => {
        const at = command.input.Key;
        if (command instanceof UpdateCommand && at?.pk === key.pk && at.sk === key.sk && !wrote) {
          wrote = true;
          await write();
        }
        return dynamo.db.send(command as never);
      },
    } as unknown as DynamoDBDocumentClient;
    return { db, wrote: () => wrote };
  }

  const sum = (
    reports: JobReport[],
    what: 'results' | 'applications' | 'rows',
    field: 'examined' | 'keyed' | 'raced',
  ) => reports.reduce((n, r) => n + (r[what] as KeyingCount)[field], 0);

  /** The usccs of ours the public search finds by the words of the address they were registered at. */
  async function foundByAddress(): Promise<string[]> {
    const page = await body(
      await expectStatus(
        h.call('GET', `/v1/institutions?q=${encodeURIComponent('西湖区测试路')}&limit=50`, null),
        200,
      ),
    );
    return (page.items as Array<{ uscc: string }>)
      .map((i) => i.uscc)
      .filter((uscc) => [u.legacy, u.late, u.scored].includes(uscc))
      .sort();
  }

  it('brings items stored without the key into the campaign, in bounded resumable runs, changing nothing else', async () => {
    expect(itemsBefore.every((i) => i.gsi3pk === undefined)).toBe(true);
    const before = await stages();
    expect(before[u.published]).not.toEqual(['new', 'published']);
    expect(before[u.scored]).toEqual(['new', 'not_started']);
    expect(before[u.upgrading]?.[0]).not.toBe('upgrade');
    expect(before[u.late]).toEqual(['new', 'not_started']);
    const events = new EventStore(dynamo.db, h.table, () => h.clock.now());
    const headBefore = await events.headSeq();
    const noticesBefore = h.notices.intents.length;
    const auditOf = async (uscc: string) =>
      (
        await dynamo.db.send(
          new QueryCommand({
            TableName: h.table,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': keys.auditPartition(uscc) },
          }),
        )
      ).Items?.length ?? 0;
    const auditBefore = await auditOf(u.published);
    expect(await foundByAddress()).toEqual([u.scored]);

    const reports = await wholePass();

    // Five institutions, two per invocation: the third invocation reaches the end of the register.
    expect(reports.map((r) => r.institutions)).toEqual([2, 2, 1]);
    expect(reports.slice(0, 2).every((r) => typeof r.after === 'string' && r.complete === false)).toBe(true);
    expect(sum(reports, 'results', 'keyed')).toBe(3);
    expect(sum(reports, 'applications', 'keyed')).toBe(2);
    expect(reports.at(-1)?.pass).toMatchObject({
      institutions: 5,
      results: { examined: 3, keyed: 3, raced: 0 },
      applications: { examined: 2, keyed: 2, raced: 0 },
      rows: { examined: 2, keyed: 2, raced: 0 },
    });
    expect(await getItem(keys.registerRow(u.late))).toMatchObject({
      registeredOn: '2027-01-05',
      address: '杭州市西湖区测试路1号',
    });
    expect(await getItem(keys.registerRow(u.legacy))).toMatchObject({ address: '杭州市西湖区测试路1号' });
    expect(await foundByAddress()).toEqual([u.legacy, u.late, u.scored].sort());
    expect(await stages()).toEqual({
      [u.published]: ['new', 'published'],
      [u.upgrading]: ['upgrade', 'applied'],
      [u.scored]: ['new', 'scored'],
      [u.legacy]: ['upgrade', 'applied'],
    });
    // Only the campaign key was added: no change event, no notice, no audit entry.
    const after = await campaignItems();
    expect(after.every((i) => typeof i.gsi3pk === 'string' && typeof i.gsi3sk === 'string')).toBe(true);
    expect(after.map(withoutCampaignKey)).toEqual(itemsBefore);
    expect(await events.headSeq()).toBe(headBefore);
    expect(h.notices.intents.length).toBe(noticesBefore);
    expect(await auditOf(u.published)).toBe(auditBefore);
  });

  it('keys nothing on a second pass', async () => {
    const keyed = await campaignItems();
    const reports = await wholePass();
    expect(sum(reports, 'results', 'examined')).toBe(3);
    expect(sum(reports, 'applications', 'examined')).toBe(2);
    expect(sum(reports, 'results', 'keyed') + sum(reports, 'applications', 'keyed')).toBe(0);
    expect(sum(reports, 'rows', 'examined')).toBe(0);
    expect(await campaignItems()).toEqual(keyed);
    const state = await getItem(keys.job(CAMPAIGN_BACKFILL_JOB));
    expect(state).toMatchObject({ after: '', lastPass: { institutions: 5 } });
  });

  it('leaves an item written between its read and its update as the write left it', async () => {
    const [resultKey] = await resultKeysOf(u.scored);
    if (!resultKey) throw new Error('the scored clinic has no result');
    await dynamo.db.send(
      new UpdateCommand({
        TableName: h.table,
        Key: resultKey,
        UpdateExpression: 'REMOVE gsi3pk, gsi3sk',
      }),
    );
    const admin = await h.token('district_admin', { district: '西湖区' });
    // The approval lands after the backfill read the result without its key, before it writes.
    const racing = writingFirst(resultKey, async () => {
      await expectStatus(h.call('POST', `/v1/admin/assessments/${scoredId}/approve`, admin), 200);
    });

    const reports = await wholePass(racing.db);

    expect(racing.wrote()).toBe(true);
    expect(sum(reports, 'results', 'raced')).toBe(1);
    expect(sum(reports, 'results', 'keyed')).toBe(0);
    const stored = await getItem(resultKey);
    expect(stored).toMatchObject({ id: scoredId, status: 'approved', version: 2, gsi3pk: 'CR#2026' });
    expect((await stages())[u.scored]).toEqual(['new', 'approved']);
  });

  it('leaves a row rewritten between its read and its update with the address the write gave it', async () => {
    await dynamo.db.send(
      new UpdateCommand({
        TableName: h.table,
        Key: keys.registerRow(u.legacy),
        UpdateExpression: 'REMOVE address',
      }),
    );
    const city = await h.token('city');
    // The move lands after the walk read the row without its address, before the backfill writes it.
    const racing = writingFirst(keys.registerRow(u.legacy), async () => {
      await expectStatus(
        h.call('PATCH', `/v1/admin/institutions/${u.legacy}`, city, { address: '杭州市西湖区文三路9号' }),
        200,
      );
    });

    const reports = await wholePass(racing.db);

    expect(racing.wrote()).toBe(true);
    expect(sum(reports, 'rows', 'raced')).toBe(1);
    expect(sum(reports, 'rows', 'keyed')).toBe(0);
    expect(await getItem(keys.registerRow(u.legacy))).toMatchObject({ address: '杭州市西湖区文三路9号' });
  });
});
