/**
 * Fault switches of the reference platform: what a flaky intranet, an overloaded gateway or a
 * platform that dies between commit and reply does to the client. Applied to /api/ requests
 * only (never to /admin/). Each switch is a probability per request (0 = off, 1 = always), drawn
 * from a seeded PRNG so a failing test can be replayed.
 */
import { z } from 'zod';
import { Prng, hash32 } from '../../shared/sample/prng';

const Probability = z.number().min(0).max(1);

export const Faults = z.object({
  /** Destroy the connection before doing anything (the request never happened). */
  drop: Probability.default(0),
  /** Wait this long before handling every request. */
  delayMs: z.number().int().min(0).max(120_000).default(0),
  /** Answer 500 without doing anything. */
  error5xx: Probability.default(0),
  /** Do the work and commit it, then destroy the connection: the client never hears back. */
  loseReply: Probability.default(0),
  /** Send every change of a page twice (at-least-once delivery made visible). */
  duplicatePages: Probability.default(0),
  /** Answer 429 or 503 with Retry-After, without doing anything. */
  overload: Probability.default(0),
  retryAfterSeconds: z.number().int().min(0).max(3600).default(1),
  /** Seed of the fault PRNG; the same seed and the same requests give the same faults. */
  seed: z.number().int().default(1),
});
export type Faults = z.infer<typeof Faults>;
export type FaultsInput = z.input<typeof Faults>;

export const NO_FAULTS: Faults = Faults.parse({});

export interface FaultCounters {
  requests: number;
  dropped: number;
  delayed: number;
  errors5xx: number;
  lostReplies: number;
  duplicatedPages: number;
  overloaded: number;
}

/** What to do with one request, decided when it arrives. */
export interface FaultPlan {
  delayMs: number;
  drop: boolean;
  error5xx: boolean;
  overload: 429 | 503 | undefined;
  loseReply: boolean;
  duplicatePage: boolean;
}

export class FaultInjector {
  private faults: Faults = NO_FAULTS;
  private rng = new Prng(hash32(1));
  readonly counters: FaultCounters = {
    requests: 0, dropped: 0, delayed: 0, errors5xx: 0, lostReplies: 0, duplicatedPages: 0, overloaded: 0,
  };

  constructor(faults?: FaultsInput) {
    if (faults !== undefined) this.set(faults);
  }

  set(faults: FaultsInput): Faults {
    this.faults = Faults.parse(faults);
    this.rng = new Prng(hash32(this.faults.seed));
    return this.faults;
  }

  get current(): Faults {
    return this.faults;
  }

  get active(): boolean {
    const f = this.faults;
    return f.drop + f.error5xx + f.loseReply + f.duplicatePages + f.overload > 0 || f.delayMs > 0;
  }

  /** Draws every switch for one request, in a fixed order (so a seed replays exactly). */
  plan(): FaultPlan {
    const f = this.faults;
    const c = this.counters;
    c.requests += 1;
    const drop = this.rng.chance(f.drop);
    const overloaded = this.rng.chance(f.overload);
    const overloadStatus = this.rng.chance(0.5) ? 429 : 503;
    const error5xx = this.rng.chance(f.error5xx);
    const loseReply = this.rng.chance(f.loseReply);
    const duplicatePage = this.rng.chance(f.duplicatePages);
    if (f.delayMs > 0) c.delayed += 1;
    // Only the first fault that strikes counts: the others never get the chance.
    if (drop) c.dropped += 1;
    else if (overloaded) c.overloaded += 1;
    else if (error5xx) c.errors5xx += 1;
    return {
      delayMs: f.delayMs,
      drop,
      overload: !drop && overloaded ? overloadStatus : undefined,
      error5xx: !drop && !overloaded && error5xx,
      loseReply: !drop && !overloaded && !error5xx && loseReply,
      duplicatePage: !drop && !overloaded && !error5xx && duplicatePage,
    };
  }

  /** Counted when the reply was really lost / the page really doubled (not every request has one). */
  count(what: 'lostReplies' | 'duplicatedPages'): void {
    this.counters[what] += 1;
  }
}
