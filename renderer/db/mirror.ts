/**
 * Reads of the local mirror the counter needs: a subject's records and its linked parties
 * (落实到人: a company's legal representative, the organisations a person represents).
 * The storage layout behind them is mirror-store.ts.
 */
import { z } from 'zod';
import type { ListRecord, Matter, Measure, SubjectType } from '../../shared/domain/schemas';
import type { LinkedParty } from '../../shared/domain/verdict';
import type { HechataiDb } from './database';
import { MetaKeys, readMeta } from './meta';
import { lookupIdentifier } from './mirror-store';

export { lookupIdentifier, searchByName, browseMirror, warmDelta, type IdentifierHits, type NameSearchResult } from './mirror-store';

/** The records naming `identifier` as their subject. */
export async function recordsFor(db: HechataiDb, identifier: string): Promise<ListRecord[]> {
  return (await lookupIdentifier(db, identifier)).subject;
}

/** Records that name `identifier` as legal representative, grouped by organisation. */
async function representedOrganisations(db: HechataiDb, identifier: string): Promise<LinkedParty[]> {
  const rows = (await lookupIdentifier(db, identifier)).legalRep;
  const orgs = new Map<string, string>();
  for (const r of rows) {
    const orgId = r.uscc ?? r.otherIds[0]?.value;
    if (orgId && orgId !== identifier) orgs.set(orgId, r.subjectName);
  }
  // Look-ups run concurrently: a serial entrepreneur may represent dozens of organisations.
  return Promise.all(
    [...orgs].map(async ([orgId, name]): Promise<LinkedParty> => ({
      relation: '所代表的组织',
      name,
      identifier: orgId,
      records: await recordsFor(db, orgId),
    })),
  );
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
  return Promise.all(
    [...reps].map(async ([repId, name]): Promise<LinkedParty> => ({
      relation: '法定代表人',
      name,
      identifier: repId,
      records: await recordsFor(db, repId),
    })),
  );
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
