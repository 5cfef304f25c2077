import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Contacts } from '../domain/model.ts';
import { batchGetPrivate } from '../store/private-batch.ts';

/** Resolves institutions' contacts (ContactDirectory in the table; a stub in tests). */
export interface ContactLookup {
  resolve(usccs: readonly string[]): Promise<Map<string, Contacts>>;
}

/**
 * Looks up institutions' contacts in their PRIVATE items, one BatchGetItem per 100 institutions, so
 * a notice run reads one item per institution notified and nothing else.
 */
export class ContactDirectory implements ContactLookup {
  /** Items read so far (benchmarks). */
  itemsRead = 0;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async resolve(usccs: readonly string[]): Promise<Map<string, Contacts>> {
    const items = await batchGetPrivate(this.db, this.table, usccs, ['contacts']);
    this.itemsRead += items.size;
    const found = new Map<string, Contacts>();
    for (const [uscc, item] of items) {
      const contacts = item.contacts as Partial<Contacts> | undefined;
      found.set(uscc, { phones: contacts?.phones ?? [], wechatOpenIds: contacts?.wechatOpenIds ?? [] });
    }
    return found;
  }
}
