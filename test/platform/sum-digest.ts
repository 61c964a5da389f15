/**
 * An order-independent checksum of a set of entities (list records, measures, matters), for
 * comparing a mirror of a million records with the platform without sorting or holding them:
 * each entity's line `kind \t id \t canonical JSON` is hashed (two independent 32-bit string
 * hashes) and the hashes are summed. Computed by the platform (GET /admin/digest?mode=sum) and by
 * the browser sync benchmark over the client's mirror. Not a cryptographic digest: the
 * SHA-256 one of digest.ts is what the tests compare; this one only has to catch a lost, doubled
 * or stale record, which changes its sums. Runs in Node and in the browser.
 */
import { canonicalJson } from '../../shared/sync/package';

export interface SumDigest {
  count: number;
  /** Two 32-bit sums as 16 hex digits. */
  sum: string;
}

export class SumDigester {
  private a = 0;
  private b = 0;
  count = 0;

  add(kind: string, id: string, data: unknown): void {
    const line = `${kind}\t${id}\t${canonicalJson(data)}`;
    let h1 = 0x811c9dc5;
    let h2 = 0x9e3779b1;
    for (let i = 0; i < line.length; i++) {
      const c = line.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
    this.a = (this.a + (h1 >>> 0)) >>> 0;
    this.b = (this.b + (h2 >>> 0)) >>> 0;
    this.count++;
  }

  result(): SumDigest {
    return { count: this.count, sum: this.a.toString(16).padStart(8, '0') + this.b.toString(16).padStart(8, '0') };
  }
}
