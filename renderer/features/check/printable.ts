/**
 * What a printed 核查记录单 shows, frozen when the check is saved. It is kept beside the check
 * record on this workstation, so a reprint years later shows what the clerk saw then, even
 * after the lists have changed. It never goes to the platform (the check record does).
 */
import { z } from 'zod';
import { Decision, Headline, ListColour, SubjectType } from '../../../shared/domain/schemas';

export const PrintableCheck = z.object({
  checkId: z.string(),
  at: z.number(),
  clerk: z.string(),
  matterName: z.string(),
  department: z.string(),
  district: z.string(),
  subjectName: z.string().optional(),
  subjectType: SubjectType,
  identifier: z.string(),
  headline: Headline,
  mirrorAsOf: z.number().nullable(),
  stale: z.boolean(),
  hits: z.array(
    z.object({
      id: z.string(),
      version: z.number(),
      colour: ListColour,
      listType: z.string(),
      subjectName: z.string(),
      via: z.string().optional(),
      reason: z.string(),
      deptName: z.string(),
      validFrom: z.string(),
      validTo: z.string().optional(),
    }),
  ),
  setAside: z.array(z.string()),
  measures: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      mandatory: z.boolean(),
      basis: z.string(),
      decision: Decision.optional(),
      reason: z.string().optional(),
    }),
  ),
  fastTrack: z.object({ eligible: z.boolean(), reason: z.string(), used: z.boolean(), greenChannel: z.boolean() }),
});
export type PrintableCheck = z.infer<typeof PrintableCheck>;
