/**
 * `npx tsx scripts/bench-import.ts [--rows 100000] [--seed N]`: the import benchmark
 * (renderer/import/bench-import.ts) in Node; prints ONE JSON line with the timings in ms.
 * Node uses native zlib inside SheetJS; a browser page runs SheetJS's own inflate, so browser
 * figures are measured separately.
 */
import { parseArgs } from 'node:util';
import { benchImport } from '../renderer/import/bench-import';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '100000' }, seed: { type: 'string' } }, allowPositionals: false });
const rows = Number(values.rows);
if (!Number.isInteger(rows) || rows < 1) throw new Error(`--rows must be a positive integer, got ${values.rows}`);
const result = await benchImport(rows, values.seed === undefined ? {} : { seed: Number(values.seed) });
const rssMb = Math.round(process.memoryUsage().rss / (1024 * 1024));
console.log(JSON.stringify({ bench: 'import', runtime: `node ${process.version}`, ...result, rssMb, withinTarget: result.ms.readAndValidate <= 15_000 }));
