/**
 * Reads of the local mirror the counter needs: a subject's records and its linked parties
 * (落实到人: a company's legal representative, the organisations a person represents).
 */
import { z } from 'zod';
import type { ListRecord, Matter, Measure, SubjectType } from '../../shared/domain/schemas';
import type { LinkedParty } from '../../shared/domain/verdict';
import { fromStored, type HechataiDb } from './database';
import { MetaKeys, readMeta } from './meta';

export async function recordsFor(db: HechataiDb, identifier: string): Promise<ListRecord[]> {
  const rows = await db.records.where('ids').equals(identifier).toArray();
  return rows.map(fromStored);
}

/** Records that name `identifier` as legal representative, grouped by organisation. */
async function representedOrganisations(db: HechataiDb, identifier: string): Promise<LinkedParty[]> {
  const rows = await db.records.where('legalRepId').equals(identifier).toArray();
  const orgs = new Map<string, string>();
  for (const r of rows) {
    const orgId = r.uscc ?? r.otherIds[0]?.value;
    if (orgId && orgId !== identifier) orgs.set(orgId, r.subjectName);
  }
  const parties: LinkedParty[] = [];
  for (const [orgId, name] of orgs) {
    parties.push({ relation: '所代表的组织', name, identifier: orgId, records: await recordsFor(db, orgId) });
  }
  return parties;
}

/**
 * The parties linked to a subject. An organisation's legal representative is taken from its
 * own records (the mirror holds no separate registry yet); a person's organisations from the
 * records that name them as legal representative.
 */
export async function linkedParties(
  db: HechataiDb,
  type: SubjectType,
  identifier: string,
  own: ListRecord[],
): Promise<LinkedParty[]> {
  if (type === '自然人') return representedOrganisations(db, identifier);
  const reps = new Map<string, string>();
  for (const r of own) if (r.legalRepId) reps.set(r.legalRepId, r.legalRepName ?? '法定代表人');
  const parties: LinkedParty[] = [];
  for (const [repId, name] of reps) {
    parties.push({ relation: '法定代表人', name, identifier: repId, records: await recordsFor(db, repId) });
  }
  return parties;
}

export async function allMeasures(db: HechataiDb): Promise<Measure[]> {
  return db.measures.toArray();
}

export async function allMatters(db: HechataiDb): Promise<Matter[]> {
  return db.matters.toArray();
}

export async function mirrorAsOf(db: HechataiDb): Promise<number | null> {
  return (await readMeta(db, MetaKeys.mirrorAsOf, z.number())) ?? null;
}

export const MirrorSource = z.enum(['sample', 'platform', 'file']);
export type MirrorSource = z.infer<typeof MirrorSource>;

export async function mirrorSource(db: HechataiDb): Promise<MirrorSource | undefined> {
  return readMeta(db, MetaKeys.mirrorSource, MirrorSource);
}
