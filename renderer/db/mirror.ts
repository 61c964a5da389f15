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
import { lookupIdentifier, lookupIdentifiers, type IdentifierHits } from './mirror-store';

export { lookupIdentifier, lookupIdentifiers, searchByName, browseMirror, warmDelta, type IdentifierHits, type NameSearchResult } from './mirror-store';

/** What the check screen shows for a subject: its own records and its linked parties with theirs. */
export interface CounterRecords {
  records: ListRecord[];
  linked: LinkedParty[];
}

/**
 * A subject's records and its linked parties (落实到人): an organisation's legal representatives,
 * taken from its own records (the mirror holds no separate registry yet); the organisations a
 * person represents, from the records naming them as legal representative. Two look-ups in all:
 * the subject (as subject and as legal representative at once), then every linked party together.
 */
export async function counterRecords(db: HechataiDb, type: SubjectType, identifier: string): Promise<CounterRecords> {
  const hits = await lookupIdentifier(db, identifier);
  const parties = partiesOf(type, identifier, hits);
  const found = await lookupIdentifiers(db, parties.map((p) => p.identifier));
  return {
    records: hits.subject,
    linked: parties.map((p) => ({ ...p, records: found.get(p.identifier)?.subject ?? [] })),
  };
}

function partiesOf(type: SubjectType, identifier: string, hits: IdentifierHits): Omit<LinkedParty, 'records'>[] {
  const parties = new Map<string, Omit<LinkedParty, 'records'>>();
  if (type === '自然人') {
    for (const r of hits.legalRep) {
      const orgId = r.uscc ?? r.otherIds[0]?.value;
      if (orgId && orgId !== identifier) parties.set(orgId, { relation: '所代表的组织', name: r.subjectName, identifier: orgId });
    }
  } else {
    for (const r of hits.subject) {
      if (r.legalRepId) parties.set(r.legalRepId, { relation: '法定代表人', name: r.legalRepName ?? '法定代表人', identifier: r.legalRepId });
    }
  }
  return [...parties.values()];
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
