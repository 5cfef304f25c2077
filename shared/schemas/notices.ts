import { z } from '@hono/zod-openapi';
import { MAINLAND_MOBILE, MAINLAND_MOBILE_MESSAGE } from '../domain/phone.ts';
import { CLAIM_STATES } from '../notify/claims.ts';
import { CHANNELS } from '../notify/message.ts';
import { NOTICE_KINDS } from '../notify/port.ts';

/** One notice to one address, as regulators see it (the address masked). */
export const NoticeRecordSchema = z
  .object({
    kind: z.enum(NOTICE_KINDS),
    cycle: z.string().openapi({ description: 'the due date, result id or year the notice is about' }),
    channel: z.enum(CHANNELS),
    recipient: z.string().openapi({ example: '139****5678', description: 'masked phone number or openid' }),
    state: z.enum(CLAIM_STATES).openapi({
      description:
        'sent; failed_terminal (reason says why, never retried); withheld (an SMS stopped by a spend limit, reason names it, never retried); claimed (being sent); retrying (last attempt failed, the queue retries); dead_lettered (in the dead-letter queue)',
    }),
    reason: z.string().nullable(),
    attempts: z.number().int(),
    on: z.string(),
    claimedAt: z.string(),
    sentAt: z.string().nullable(),
    updatedAt: z.string(),
  })
  .openapi('NoticeRecord');

export const NoticeListSchema = z
  .object({ items: z.array(NoticeRecordSchema), nextCursor: z.string().nullable() })
  .openapi('NoticeList');

export const ListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(50).default(20),
  cursor: z.string().max(512).optional(),
});

const PhoneSchema = z
  .string()
  .regex(MAINLAND_MOBILE, MAINLAND_MOBILE_MESSAGE)
  .openapi({ example: '13912345678' });
const OpenIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{6,64}$/, 'a WeChat openid: 6–64 letters, digits, _ or -')
  .openapi({ example: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' });

/** PUT body: the whole set of contacts, replacing the previous one. */
export const ContactsBodySchema = z
  .object({
    phones: z.array(PhoneSchema).max(5),
    wechatOpenIds: z.array(OpenIdSchema).max(10),
  })
  .strict()
  .openapi('ContactsUpdate');

/** The answer shows the stored contacts masked: enough to check, not to copy. */
export const ContactsResponseSchema = z
  .object({
    uscc: z.string(),
    phones: z.array(z.string()),
    wechatOpenIds: z.array(z.string()),
    updatedAt: z.string(),
  })
  .openapi('ContactsMasked');
