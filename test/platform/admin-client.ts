/**
 * A typed client of the reference platform's /admin/ endpoints, for tests and demo scripts
 * that drive a platform running in another process.
 */
import type { AdminCommand, CommandResult } from './commands';
import type { FaultCounters, Faults, FaultsInput } from './faults';
import type { PushOutcome } from '../../shared/sync/protocol';
import type { OutboxPayload } from '../../shared/sync/outbox';
import type { ReceivedRow } from './store';

export interface PlatformStats {
  records: number;
  measures: number;
  matters: number;
  changes: number;
  highSeq: number;
  compactedThrough: number;
  schemaVersion: number;
  devices: number;
  received: number;
  receivedByKind: Record<string, number>;
  faults: Faults;
  faultCounters: FaultCounters;
}

export class PlatformAdmin {
  constructor(
    readonly url: string,
    private readonly token: string,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  private async call<T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<T> {
    const response = await this.fetchImpl(this.url + path, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await response.json()) as unknown;
    if (!response.ok) {
      const message = (json as { error?: { message?: string } }).error?.message ?? JSON.stringify(json);
      throw new Error(`${method} ${path} → HTTP ${response.status}: ${message}`);
    }
    return json as T;
  }

  command(cmd: AdminCommand): Promise<CommandResult> {
    return this.call('POST', '/admin/command', cmd);
  }

  /** Many commands in one transaction (all or none). */
  commands(commands: AdminCommand[]): Promise<{ count: number; firstSeq?: number; lastSeq?: number }> {
    return this.call('POST', '/admin/commands', { commands });
  }

  async enrolCode(department?: string, district?: string): Promise<string> {
    const result = await this.command({ op: 'enrolCode', ...(department === undefined ? {} : { department }), ...(district === undefined ? {} : { district }) });
    if (result.code === undefined) throw new Error('platform returned no enrolment code');
    return result.code;
  }

  digest(): Promise<{ count: number; digest: string; highSeq: number }> {
    return this.call('GET', '/admin/digest');
  }

  /** The order-independent checksum of sum-digest.ts (for mirrors too big to sort). */
  sumDigest(): Promise<{ count: number; sum: string; highSeq: number }> {
    return this.call('GET', '/admin/digest?mode=sum');
  }

  stats(): Promise<PlatformStats> {
    return this.call('GET', '/admin/stats');
  }

  async received(): Promise<ReceivedRow[]> {
    return (await this.call<{ received: ReceivedRow[] }>('GET', '/admin/received')).received;
  }

  /** The record received under `id` (an outbox id such as 'finding:…'), as the device sent it. */
  async receivedPayload(id: string): Promise<OutboxPayload> {
    const q = new URLSearchParams({ id });
    return (await this.call<{ payload: OutboxPayload }>('GET', `/admin/received/payload?${q.toString()}`)).payload;
  }

  /** A list package for `device` (file exchange), from `after` (a full one without). */
  listPackage(device: string, after?: string | null, limit = 2000): Promise<Record<string, unknown>> {
    const q = new URLSearchParams({ device, limit: String(limit) });
    if (after) q.set('after', after);
    return this.call('GET', `/admin/package?${q.toString()}`);
  }

  /** Delivers an outbox package (its parsed JSON) as if carried to the platform on a USB stick. */
  importOutboxPackage(pkg: unknown): Promise<{ results: PushOutcome[]; cursor: string | null }> {
    return this.call('POST', '/admin/outbox-package', pkg);
  }

  async setFaults(faults: FaultsInput): Promise<Faults> {
    return (await this.call<{ faults: Faults }>('PUT', '/admin/faults', faults)).faults;
  }
}
