import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { Hono } from 'hono';
import type { InstitutionProfile } from '#shared/domain/model.ts';
import { searchableTexts } from '#shared/domain/search-terms.ts';
import { keys } from '#shared/store/keys.ts';

/**
 * What the public reads are measured against: a bare Hono hello route, and a bare route doing one
 * GetItem of a profile from the same table the app reads.
 */
export function floorApp(db: DynamoDBDocumentClient, table: string) {
  return new Hono()
    .get('/hello', (c) => c.text('hello'))
    .get('/floor/:uscc', async (c) => {
      const out = await db.send(new GetCommand({ TableName: table, Key: keys.profile(c.req.param('uscc')) }));
      return c.json(out.Item ?? null);
    });
}

/** Queries a visitor types for `sample`: two characters, a name prefix, pinyin, initials, and a broad one. */
export function visitorQueries(sample: InstitutionProfile): string[] {
  const texts = searchableTexts(sample.name, []);
  return [
    Array.from(sample.name).slice(2, 4).join(''),
    Array.from(sample.name).slice(0, 4).join(''),
    texts.pinyin[0]!.slice(0, 8),
    texts.initials[0]!.slice(0, 4),
    '医疗美容',
  ];
}
