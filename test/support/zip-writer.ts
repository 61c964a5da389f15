/**
 * A minimal ZIP writer (APPNOTE.TXT: local headers, central directory, end record, optional
 * ZIP64) for tests and fixtures that need archives no well-behaved library would write: sizes
 * that lie, compression bombs, odd methods and flags. Node only.
 */
import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipInput {
  name: string;
  data: Uint8Array;
  /** Store instead of deflate. */
  store?: boolean;
  /** Data already deflated (raw): written as it is, `uncompressedSize` must then be given. */
  deflated?: boolean;
  /** Override the uncompressed size written in both headers (a lie, for bomb tests). */
  uncompressedSize?: number;
  /** Override the method number (e.g. 12 = bzip2) without changing the data. */
  method?: number;
  /** Extra general-purpose flags (bit 0 = encrypted). */
  flags?: number;
}

export interface ZipOptions {
  /** Write every size and offset through ZIP64 extra fields and a ZIP64 end record. */
  zip64?: boolean;
  /** Archive comment (the end record is then not the last 22 bytes). */
  comment?: string;
}

const u16 = (n: number): number[] => [n & 0xff, (n >>> 8) & 0xff];
const u32 = (n: number): number[] => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
const u64 = (n: number): number[] => [...u32(n % 0x1_0000_0000), ...u32(Math.floor(n / 0x1_0000_0000))];

export function zipBytes(inputs: readonly ZipInput[], opts: ZipOptions = {}): Uint8Array {
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [];
  const central: number[][] = [];
  let offset = 0;
  const push = (b: Uint8Array | number[]): void => {
    const a = b instanceof Uint8Array ? b : Uint8Array.from(b);
    parts.push(a);
    offset += a.length;
  };

  for (const input of inputs) {
    const name = enc.encode(input.name);
    const method = input.method ?? (input.store ? 0 : 8);
    const payload = input.deflated || input.store ? input.data : new Uint8Array(deflateRawSync(input.data, { level: 9 }));
    const usize = input.uncompressedSize ?? input.data.length;
    const crc = input.deflated ? 0 : crc32(input.data);
    const flags = 0x800 | (input.flags ?? 0);
    const local = offset;
    const z64 = opts.zip64 === true;
    // ZIP64: both sizes in the local extra field; sizes, then offset in the central one.
    const localExtra = z64 ? [...u16(0x0001), ...u16(16), ...u64(usize), ...u64(payload.length)] : [];
    push([
      ...u32(0x04034b50), ...u16(z64 ? 45 : 20), ...u16(flags), ...u16(method), ...u16(0), ...u16(0x21),
      ...u32(crc), ...u32(z64 ? 0xffffffff : payload.length), ...u32(z64 ? 0xffffffff : usize),
      ...u16(name.length), ...u16(localExtra.length),
    ]);
    push(name);
    push(localExtra);
    push(payload);
    const centralExtra = z64 ? [...u16(0x0001), ...u16(24), ...u64(usize), ...u64(payload.length), ...u64(local)] : [];
    central.push([
      ...u32(0x02014b50), ...u16(z64 ? 45 : 20), ...u16(z64 ? 45 : 20), ...u16(flags), ...u16(method), ...u16(0), ...u16(0x21),
      ...u32(crc), ...u32(z64 ? 0xffffffff : payload.length), ...u32(z64 ? 0xffffffff : usize),
      ...u16(name.length), ...u16(centralExtra.length), ...u16(0), ...u16(0), ...u16(0), ...u32(0),
      ...u32(z64 ? 0xffffffff : local), ...name, ...centralExtra,
    ]);
  }

  const cdStart = offset;
  for (const c of central) push(c);
  const cdSize = offset - cdStart;
  const comment = enc.encode(opts.comment ?? '');
  if (opts.zip64) {
    const eocd64 = offset;
    push([
      ...u32(0x06064b50), ...u64(44), ...u16(45), ...u16(45), ...u32(0), ...u32(0),
      ...u64(inputs.length), ...u64(inputs.length), ...u64(cdSize), ...u64(cdStart),
    ]);
    push([...u32(0x07064b50), ...u32(0), ...u64(eocd64), ...u32(1)]);
    push([...u32(0x06054b50), ...u16(0), ...u16(0), ...u16(0xffff), ...u16(0xffff), ...u32(0xffffffff), ...u32(0xffffffff), ...u16(comment.length)]);
  } else {
    push([...u32(0x06054b50), ...u16(0), ...u16(0), ...u16(inputs.length), ...u16(inputs.length), ...u32(cdSize), ...u32(cdStart), ...u16(comment.length)]);
  }
  push(comment);

  const out = new Uint8Array(offset);
  let p = 0;
  for (const part of parts) {
    out.set(part, p);
    p += part.length;
  }
  return out;
}

/**
 * `size` bytes of a worksheet that is almost all whitespace between its tags: legal XML that
 * deflates ~1000:1 (deflate's limit), like a real sheet bomb.
 */
export function repetitiveXml(size: number): Uint8Array {
  const enc = new TextEncoder();
  const head = enc.encode('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>');
  const tail = enc.encode('</sheetData></worksheet>');
  const out = new Uint8Array(size).fill(0x20);
  out.set(head, 0);
  out.set(tail, size - tail.length);
  return out;
}

/** The parts an .xlsx needs to be recognised as one (a bomb must pass that check to reach the size checks). */
export function minimalXlsxParts(): ZipInput[] {
  const enc = new TextEncoder();
  return [
    {
      name: '[Content_Types].xml',
      data: enc.encode(
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
          '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
      ),
    },
    {
      name: 'xl/workbook.xml',
      data: enc.encode(
        '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' +
          'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="名单" sheetId="1" r:id="rId1"/></sheets></workbook>',
      ),
    },
  ];
}
