import { z } from '@hono/zod-openapi';
import { MAX_SURGERY_LEVEL, SUBJECTS } from '../domain/practice-scope.ts';
import { LocalDateSchema, text } from './common.ts';
import { GeoPointSchema, SubjectSchema, SurgeryLevelSchema } from './institution.ts';

/** Request shapes of the regulators' licence, physician and location calls (shared/http/admin/capabilities.ts). */

export const LicenceRequestSchema = z
  .object({
    number: text().min(1).max(40).openapi({
      description: '医疗机构执业许可证登记号: 10–30 letters and digits',
      example: 'PDY00123X33010617D2192',
    }),
    subjects: z
      .array(SubjectSchema)
      .min(1)
      .max(SUBJECTS.length)
      .openapi({
        description: 'the medical-aesthetic subjects the licence lists',
        example: ['美容外科', '美容皮肤科'],
      }),
    surgeryLevel: SurgeryLevelSchema.nullable().openapi({
      description:
        `highest cosmetic-surgery level, required with 美容外科 and null without it; at most ${MAX_SURGERY_LEVEL.clinic} for a clinic, ` +
        `${MAX_SURGERY_LEVEL.outpatient} for an outpatient department, ${MAX_SURGERY_LEVEL.hospital} for a hospital (422 names the field otherwise)`,
      example: 2,
    }),
  })
  .strict()
  .openapi('LicenceRequest');

export const PhysicianRequestSchema = z
  .object({
    name: text().min(1).max(30).openapi({ example: '林晓雯' }),
    subject: SubjectSchema,
    certificateNo: text()
      .min(1)
      .max(40)
      .openapi({ description: '医师执业证书编码', example: '110330100012345' }),
    since: LocalDateSchema.openapi({
      description: 'registered as attending physician here since; not in the future',
    }),
  })
  .strict()
  .openapi('PhysicianRequest');

export const LocationRequestSchema = GeoPointSchema.extend({}).strict().openapi('LocationRequest', {
  description: 'GCJ-02 coordinates, as Chinese maps (Amap, Tencent) give them; kept to 6 decimals',
});
