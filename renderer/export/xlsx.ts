/**
 * Spreadsheets out: one sheet from a header row and rows, saved through the bridge. Written in
 * the renderer (never in main).
 *
 * The workbook is written here directly rather than through SheetJS: `XLSX.write` of 100,000
 * rows × 16 columns took 14 s in Node (more in the page), building one object per cell; the
 * target is ≤ 10 s. This writer emits the sheet XML as text in chunks (strings go to the shared
 * string table once each: departments, bases and reasons repeat a lot), and zips the parts with
 * the platform's own deflate (CompressionStream 'deflate-raw', in Chromium and Node), so the
 * page's thread only builds text. What it writes is the plain subset of SpreadsheetML that
 * Excel, WPS and SheetJS read: one sheet, shared strings, numbers, booleans, a bold frozen
 * header row and column widths. A cell's text can never become a formula (strings are always
 * shared-string cells). Tests read the result back with SheetJS.
 */
import { getClientApi } from '../bridge';
import { columnLetter } from '../../shared/import/columns';

export type Cell = string | number | boolean | null;

const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** Rows of sheet XML per text chunk (bounds the size of each string built). */
const ROWS_PER_CHUNK = 2_000;

/** Gives the thread back to the event loop (input, rendering) for a moment. */
const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

// ---------------------------------------------------------------- text

/** Characters XML 1.0 cannot hold (C0 controls but tab/LF/CR, U+FFFE/FFFF), surrogates, and what must be escaped. */
// eslint-disable-next-line no-control-regex
const NEEDS_WORK = /[&<>"\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]|_x[0-9A-Fa-f]{4}_/;

function hex4(c: number): string {
  return c.toString(16).toUpperCase().padStart(4, '0');
}

/** Text as XML character data; characters XML cannot hold are written as Excel's `_xHHHH_`. */
function xmlText(s: string): string {
  if (!NEEDS_WORK.test(s)) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x26) out += '&amp;';
    else if (c === 0x3c) out += '&lt;';
    else if (c === 0x3e) out += '&gt;';
    else if (c === 0x22) out += '&quot;';
    else if (c === 0x5f && /^_x[0-9A-Fa-f]{4}_/.test(s.slice(i, i + 7))) out += '_x005F_'; // a literal "_x0041_" stays literal
    else if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0xfffe || c === 0xffff) out += `_x${hex4(c)}_`;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff) {
      out += s[i] + (s[i + 1] as string);
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) out += '\uFFFD'; // a lone surrogate cannot be encoded
    else out += s[i];
  }
  return out;
}

/** A sheet name Excel accepts: ≤ 31 characters, none of : \ / ? * [ ]. */
function sheetNameOf(name: string): string {
  const clean = name.replace(/[:\\/?*[\]]/g, '_').slice(0, 31).trim();
  return clean === '' ? 'Sheet1' : clean;
}

// ---------------------------------------------------------------- zip

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

async function crc32(parts: readonly Uint8Array[]): Promise<number> {
  let c = 0xffffffff;
  for (const p of parts) {
    for (let i = 0; i < p.length; i++) c = (CRC_TABLE[(c ^ (p[i] as number)) & 0xff] as number) ^ (c >>> 8);
    if (parts.length > 1) await pause();
  }
  return (c ^ 0xffffffff) >>> 0;
}

async function deflateRaw(parts: readonly Uint8Array<ArrayBuffer>[]): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([...parts]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

interface ZipEntry {
  name: Uint8Array;
  crc: number;
  size: number;
  data: Uint8Array<ArrayBuffer>;
  method: 0 | 8;
  offset: number;
}

/** DOS date/time of 1980-01-01 00:00: the workbook's own properties carry no dates. */
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

function zip(entries: readonly ZipEntry[]): Uint8Array<ArrayBuffer> {
  let size = 22;
  for (const e of entries) size += 30 + e.name.length + e.data.length + 46 + e.name.length;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let at = 0;
  const u16 = (v: number): void => {
    view.setUint16(at, v, true);
    at += 2;
  };
  const u32 = (v: number): void => {
    view.setUint32(at, v >>> 0, true);
    at += 4;
  };
  const header = (e: ZipEntry, central: boolean): void => {
    u32(central ? 0x02014b50 : 0x04034b50);
    if (central) u16(20);
    u16(20); // version needed
    u16(0x0800); // names in UTF-8
    u16(e.method);
    u16(DOS_TIME);
    u16(DOS_DATE);
    u32(e.crc);
    u32(e.data.length);
    u32(e.size);
    u16(e.name.length);
    u16(0); // extra
    if (central) {
      u16(0); // comment
      u16(0); // disk
      u16(0); // internal attributes
      u32(0); // external attributes
      u32(e.offset);
    }
    out.set(e.name, at);
    at += e.name.length;
  };
  for (const e of entries) {
    e.offset = at;
    header(e, false);
    out.set(e.data, at);
    at += e.data.length;
  }
  const cdStart = at;
  for (const e of entries) header(e, true);
  const cdSize = at - cdStart;
  u32(0x06054b50);
  u16(0);
  u16(0);
  u16(entries.length);
  u16(entries.length);
  u32(cdSize);
  u32(cdStart);
  u16(0);
  return out;
}

// ---------------------------------------------------------------- the workbook

const encoder = new TextEncoder();

function styles(): string {
  return (
    `${XML_HEAD}<styleSheet xmlns="${MAIN_NS}">` +
    '<fonts count="2"><font><sz val="11"/><name val="等线"/><charset val="134"/></font><font><b/><sz val="11"/><name val="等线"/><charset val="134"/></font></fonts>' +
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>' +
    '<cellStyles count="1"><cellStyle name="常规" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
  );
}

/**
 * The bytes of an xlsx workbook with one sheet: `header` (bold, frozen) then `rows`. null is an
 * empty cell; numbers must be finite (others are written as text).
 */
export async function workbookBytes(sheetName: string, header: readonly string[], rows: readonly (readonly Cell[])[]): Promise<Uint8Array<ArrayBuffer>> {
  const strings = new Map<string, number>();
  const stringList: string[] = [];
  let stringRefs = 0;
  const sharedIndex = (s: string): number => {
    stringRefs++;
    let i = strings.get(s);
    if (i === undefined) {
      i = stringList.length;
      strings.set(s, i);
      stringList.push(s);
    }
    return i;
  };
  let width = header.length;
  for (const r of rows) if (r.length > width) width = r.length;
  const cols = Array.from({ length: width }, (_, i) => columnLetter(i));
  const widths = cols.map((_, i) => Math.max(10, (header[i]?.length ?? 0) * 2 + 2));

  const sheetParts: Uint8Array<ArrayBuffer>[] = [];
  let text = '';
  const cellsOf = (r: number, row: readonly Cell[], style: string): string => {
    let s = `<row r="${r}">`;
    for (let c = 0; c < row.length; c++) {
      const v = row[c];
      if (v === null || v === undefined || v === '') continue;
      const ref = `${cols[c] as string}${r}`;
      if (typeof v === 'number' && Number.isFinite(v)) s += `<c r="${ref}"${style}><v>${v}</v></c>`;
      else if (typeof v === 'boolean') s += `<c r="${ref}"${style} t="b"><v>${v ? 1 : 0}</v></c>`;
      else s += `<c r="${ref}"${style} t="s"><v>${sharedIndex(String(v))}</v></c>`;
    }
    return `${s}</row>`;
  };
  const colXml = widths.map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`).join('');
  text +=
    `${XML_HEAD}<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}">` +
    `<dimension ref="A1:${cols[Math.max(0, width - 1)] ?? 'A'}${rows.length + 1}"/>` +
    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>' +
    `<sheetFormatPr defaultRowHeight="15"/>${colXml === '' ? '' : `<cols>${colXml}</cols>`}<sheetData>` +
    cellsOf(1, header, ' s="1"');
  for (let i = 0; i < rows.length; i++) {
    text += cellsOf(i + 2, rows[i] as readonly Cell[], '');
    if ((i + 1) % ROWS_PER_CHUNK === 0) {
      sheetParts.push(encoder.encode(text));
      text = '';
      // The page's thread is let go between chunks: an export of 100,000 rows held it for
      // 1.2–1.5 s in one go (`npm run bench` export.*.longestPageThreadStallMs).
      await pause();
    }
  }
  text += '</sheetData></worksheet>';
  sheetParts.push(encoder.encode(text));

  const ssParts: Uint8Array<ArrayBuffer>[] = [];
  text = `${XML_HEAD}<sst xmlns="${MAIN_NS}" count="${stringRefs}" uniqueCount="${stringList.length}">`;
  for (let i = 0; i < stringList.length; i++) {
    const s = stringList[i] as string;
    const space = /^\s|\s$/.test(s) ? ' xml:space="preserve"' : '';
    text += `<si><t${space}>${xmlText(s)}</t></si>`;
    if ((i + 1) % 20_000 === 0) {
      ssParts.push(encoder.encode(text));
      text = '';
      await pause();
    }
  }
  text += '</sst>';
  ssParts.push(encoder.encode(text));

  const name = xmlText(sheetNameOf(sheetName)).replace(/'/g, '&apos;');
  const files: [string, Uint8Array<ArrayBuffer>[]][] = [
    [
      '[Content_Types].xml',
      [
        encoder.encode(
          `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        ),
      ],
    ],
    ['_rels/.rels', [encoder.encode(`${XML_HEAD}<Relationships xmlns="${PKG_REL_NS}"><Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`)]],
    ['xl/workbook.xml', [encoder.encode(`${XML_HEAD}<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheets><sheet name="${name}" sheetId="1" r:id="rId1"/></sheets></workbook>`)]],
    [
      'xl/_rels/workbook.xml.rels',
      [
        encoder.encode(
          `${XML_HEAD}<Relationships xmlns="${PKG_REL_NS}"><Relationship Id="rId1" Type="${REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>` +
            `<Relationship Id="rId2" Type="${REL_NS}/styles" Target="styles.xml"/><Relationship Id="rId3" Type="${REL_NS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
        ),
      ],
    ],
    ['xl/styles.xml', [encoder.encode(styles())]],
    ['xl/sharedStrings.xml', ssParts],
    ['xl/worksheets/sheet1.xml', sheetParts],
  ];
  const canDeflate = typeof CompressionStream === 'function';
  const entries = await Promise.all(
    files.map(async ([fileName, parts]): Promise<ZipEntry> => {
      const size = parts.reduce((n, p) => n + p.length, 0);
      const crc = await crc32(parts);
      const data = canDeflate ? await deflateRaw(parts) : concat(parts, size);
      return { name: encoder.encode(fileName), crc, size, data, method: canDeflate ? 8 : 0, offset: 0 };
    }),
  );
  return zip(entries);
}

function concat(parts: readonly Uint8Array[], size: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export async function saveWorkbook(fileName: string, bytes: Uint8Array<ArrayBuffer> | Promise<Uint8Array<ArrayBuffer>>) {
  return getClientApi().saveFile({
    suggestedName: fileName,
    bytes: await bytes,
    filters: [{ name: 'Excel 工作簿', extensions: ['xlsx'] }],
  });
}
