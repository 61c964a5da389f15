/**
 * PROTOCOL.md and protocol.ts must agree: every JSON example in the document is parsed with
 * the schema it names, and every body of the protocol has an example.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import * as protocol from '../../shared/sync/protocol';

const doc = readFileSync(resolve(import.meta.dirname, '../../shared/sync/PROTOCOL.md'), 'utf8');
const examples = [...doc.matchAll(/Example \(`(\w+)`\):\n```json\n([\s\S]*?)```/g)].map((m) => ({
  schema: m[1] ?? '',
  text: m[2] ?? '',
}));

describe('PROTOCOL.md', () => {
  it('has an example of every request and answer body', () => {
    expect(new Set(examples.map((e) => e.schema))).toEqual(
      new Set(['ErrorBody', 'HealthResponse', 'EnrolRequest', 'EnrolResponse', 'PullPage', 'parsePage', 'ResetBody', 'PushRequest', 'PushResponse']),
    );
  });

  it('its compact page reads as its full page', () => {
    const pages = ['PullPage', 'parsePage'].map((name) => examples.find((e) => e.schema === name)?.text ?? '');
    const [full, compact] = pages.map((text) => protocol.parsePage(JSON.parse(text)));
    expect(compact?.ok).toBe(true);
    expect(compact).toStrictEqual(full);
  });

  it.each(examples.filter((e) => e.schema !== 'parsePage').map((e) => [e.schema, e] as const))('its %s example parses with the schema', (_, example) => {
    const schema = (protocol as unknown as Record<string, z.ZodType | undefined>)[example.schema];
    expect(schema).toBeDefined();
    const parsed = schema?.safeParse(JSON.parse(example.text));
    expect(parsed?.error?.issues ?? []).toEqual([]);
  });

  it('states the limits the code enforces', () => {
    expect(doc).toContain(`at most ${protocol.PUSH_BATCH_MAX} per request`);
    expect(doc).toContain(`default ${protocol.PULL_LIMIT_DEFAULT}, at most ${protocol.PULL_LIMIT_MAX}`);
    for (const code of Object.keys(protocol.ERRORS)) expect(doc).toContain(`\`${code}\``);
    for (const reason of Object.keys(protocol.RESET_REASONS)) expect(doc).toContain(`\`${reason}\``);
    for (const code of protocol.REJECTION_CODES) expect(doc).toContain(`\`${code}\``);
  });
});
