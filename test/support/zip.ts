import zlib from 'node:zlib';

/** CRC-32 (IEEE), for the archives below: zlib's own where Node has it (20.15+). */
function crc32(data: Buffer): number {
  const native = (zlib as { crc32?: (d: Buffer) => number }).crc32;
  if (native) return native(data);
  let crc = ~0;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

export interface ZipPart {
  name: string;
  data: Buffer | string;
  /** The uncompressed size written in the headers, when it should lie. */
  declared?: number;
}

/**
 * A minimal zip writer (deflated entries, no extras) for building hostile workbooks in tests: the
 * parts are compressed with zlib, so a repetitive part of hundreds of megabytes shrinks to a few.
 */
export function buildZip(parts: ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const raw = typeof part.data === 'string' ? Buffer.from(part.data, 'utf8') : part.data;
    const packed = zlib.deflateRawSync(raw, { level: 9 });
    const name = Buffer.from(part.name, 'utf8');
    const crc = crc32(raw);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(part.declared ?? raw.length, 22);
    local.writeUInt16LE(name.length, 26);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(0x0800, 8);
    header.writeUInt16LE(8, 10);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(packed.length, 20);
    header.writeUInt32LE(part.declared ?? raw.length, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    central.push(header, name);
    offset += local.length + name.length + packed.length;
  }
  const dir = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

const CONTENT_TYPES = (
  extra = '',
  sheetType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml',
) =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="${sheetType}"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>${extra}</Types>`;

/** The parts of a one-sheet workbook whose sheet XML is `sheetXml`. */
export function workbookParts(
  sheetXml: string | Buffer,
  opts: { contentTypesExtra?: string; macroEnabled?: boolean } = {},
): ZipPart[] {
  return [
    {
      name: '[Content_Types].xml',
      data: CONTENT_TYPES(
        opts.contentTypesExtra,
        opts.macroEnabled ? 'application/vnd.ms-excel.sheet.macroEnabled.main+xml' : undefined,
      ),
    },
    {
      name: '_rels/.rels',
      data: '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    },
    {
      name: 'xl/workbook.xml',
      data: '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    },
    { name: 'xl/worksheets/sheet1.xml', data: sheetXml },
  ];
}

const SHEET_OPEN =
  '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
const SHEET_CLOSE = '</sheetData></worksheet>';

/** A sheet XML with the given rows of inline-string cells. */
export function sheetXml(rows: string[][]): string {
  const body = rows
    .map(
      (cells, r) =>
        `<row r="${r + 1}">${cells
          .map(
            (v, c) => `<c r="${String.fromCharCode(65 + c)}${r + 1}" t="inlineStr"><is><t>${v}</t></is></c>`,
          )
          .join('')}</row>`,
    )
    .join('');
  return SHEET_OPEN + body + SHEET_CLOSE;
}

/** A zip bomb: one sheet whose rows inflate to about `megabytes` MB (each row within the row limit). */
export function zipBomb(megabytes: number): Buffer {
  const cell =
    '<c r="A1" t="inlineStr"><is><t>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</t></is></c>';
  const pad = Buffer.from(`<!-- ${'x'.repeat(1024 * 1024)} -->`);
  const chunks: Buffer[] = [Buffer.from(`${SHEET_OPEN}<row r="1">${cell}</row>`)];
  for (let i = 0; i < megabytes; i++) chunks.push(pad);
  chunks.push(Buffer.from(SHEET_CLOSE));
  return buildZip(workbookParts(Buffer.concat(chunks)));
}

/** "Billion laughs": nested entity declarations that would expand to gigabytes if resolved. */
export function billionLaughs(): Buffer {
  const levels = ['<!ENTITY lol0 "lol">'];
  for (let i = 1; i < 10; i++) levels.push(`<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`);
  const xml = `<?xml version="1.0"?><!DOCTYPE worksheet [${levels.join('')}]><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>`;
  return buildZip(workbookParts(xml));
}

/** A workbook of `count` empty rows (each `<row r="n"/>`) under one header row. */
export function emptyRows(count: number): Buffer {
  const parts: string[] = [SHEET_OPEN, '<row r="1"><c r="A1" t="inlineStr"><is><t>uscc</t></is></c></row>'];
  for (let r = 2; r <= count + 1; r++) parts.push(`<row r="${r}"/>`);
  parts.push(SHEET_CLOSE);
  return buildZip(workbookParts(parts.join('')));
}

/** A macro-enabled workbook (.xlsm): a VBA project part and the macro-enabled content type. */
export function xlsm(opts: { macroEnabled?: boolean } = {}): Buffer {
  const parts = workbookParts(sheetXml([['uscc']]), {
    macroEnabled: opts.macroEnabled ?? true,
    contentTypesExtra:
      '<Override PartName="/xl/vbaProject.bin" ContentType="application/vnd.ms-office.vbaProject"/>',
  });
  return buildZip([...parts, { name: 'xl/vbaProject.bin', data: Buffer.alloc(512, 1) }]);
}

/** A workbook that links to another file (an external-link part). */
export function externalLink(): Buffer {
  return buildZip([
    ...workbookParts(sheetXml([['uscc']])),
    {
      name: 'xl/externalLinks/externalLink1.xml',
      data: '<?xml version="1.0"?><externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>',
    },
  ]);
}

/** The first bytes of an OLE compound file, which is how Office stores an encrypted workbook. */
export function encryptedPackage(): Buffer {
  const buf = Buffer.alloc(4096);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(buf);
  return buf;
}

/** A workbook whose zip headers lie: the sheet declares 1 KB but inflates to `megabytes` MB. */
export function lyingSizes(megabytes: number): Buffer {
  const pad = `<!-- ${'x'.repeat(1024 * 1024)} -->`;
  const sheet = Buffer.from(`${SHEET_OPEN}${pad.repeat(megabytes)}${SHEET_CLOSE}`);
  return buildZip(
    workbookParts(sheet).map((p) => (p.name.includes('sheet1') ? { ...p, declared: 1024 } : p)),
  );
}

/**
 * The densest sheet under the limits: `rows` rows of `cells` columns, numeric cells or, with
 * `cellChars`, inline strings of that many characters (the most text exceljs is ever given).
 */
export function denseSheet(rows: number, cells: number, cellChars = 0): Buffer {
  const col = (c: number) =>
    (c >= 26 ? String.fromCharCode(64 + Math.floor(c / 26)) : '') + String.fromCharCode(65 + (c % 26));
  const text = (r: number, c: number) => `${r}-${c}-`.padEnd(cellChars, '杭');
  const parts: string[] = [SHEET_OPEN];
  for (let r = 1; r <= rows; r++) {
    parts.push(`<row r="${r}">`);
    for (let c = 0; c < cells; c++) {
      parts.push(
        cellChars > 0
          ? `<c r="${col(c)}${r}" t="inlineStr"><is><t>${text(r, c)}</t></is></c>`
          : `<c r="${col(c)}${r}"><v>${c}</v></c>`,
      );
    }
    parts.push('</row>');
  }
  parts.push(SHEET_CLOSE);
  return buildZip(workbookParts(parts.join('')));
}
