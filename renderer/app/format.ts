/** Display formats, all in China time (UTC+8) whatever the machine's zone. */
const CHINA_OFFSET_MS = 8 * 3_600_000;

export function formatMoment(epochMs: number): string {
  const d = new Date(epochMs + CHINA_OFFSET_MS).toISOString();
  return `${d.slice(0, 10)} ${d.slice(11, 16)}`;
}
