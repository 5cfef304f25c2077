import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { TooLargeError, ValidationError } from '../domain/errors.ts';
import { IMPORT_LIMITS } from './limits.ts';

type Limits = typeof IMPORT_LIMITS;

const OLE_SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0];

function notPlain(found: string): ValidationError {
  return new ValidationError(`the file is not a plain .xlsx workbook: it contains ${found}`, [
    { path: 'file', message: `not a plain workbook: ${found}` },
  ]);
}

function unreadable(): ValidationError {
  return new ValidationError('the file is not a readable .xlsx workbook', [
    { path: 'file', message: 'not a readable .xlsx workbook' },
  ]);
}

/** 1-based column number of an A1 reference ("AB12" → 28). */
function columnOf(ref: string): number {
  let n = 0;
  for (const ch of ref) {
    const code = ch.charCodeAt(0);
    if (code < 65 || code > 90) break;
    n = n * 26 + (code - 64);
  }
  return n;
}

/**
 * Scans a worksheet's XML as it streams: counts rows and cells and checks the row and column
 * numbers they claim, so a sheet of a million (even empty) rows is refused before any parser sees it.
 */
class SheetScanner {
  private carry = '';
  private rows = 0;
  private cells = 0;
  constructor(private readonly limits: Limits) {}

  push(text: string) {
    const input = this.carry + text;
    const end = input.lastIndexOf('>') + 1;
    this.carry = input.slice(end);
    if (this.carry.length > 64 * 1024) throw unreadable();
    const tags = /<(row|c)\b([^>]*)>/g;
    const whole = input.slice(0, end);
    for (let m = tags.exec(whole); m; m = tags.exec(whole)) {
      const ref = /\br="([^"]*)"/.exec(m[2] ?? '')?.[1];
      if (m[1] === 'row') {
        this.rows++;
        this.cells = 0;
        const n = ref ? Number(ref) : this.rows;
        if (this.rows > this.limits.rows + 1 || n > this.limits.rows + 1) {
          throw new TooLargeError(
            `the sheet has more than ${this.limits.rows} data rows`,
            'rows',
            this.limits.rows,
          );
        }
      } else {
        this.cells++;
        const col = ref ? columnOf(ref) : this.cells;
        if (this.cells > this.limits.cellsPerRow || col > this.limits.cellsPerRow) {
          throw new TooLargeError(
            `a row of the sheet has more than ${this.limits.cellsPerRow} cells`,
            'cellsPerRow',
            this.limits.cellsPerRow,
          );
        }
      }
    }
  }
}

const tooInflated = (limits: Limits) =>
  new TooLargeError(
    `the workbook inflates to more than ${limits.inflatedBytes} bytes`,
    'inflatedBytes',
    limits.inflatedBytes,
  );

/**
 * Checks an .xlsx upload before any workbook parser inflates it: an encrypted package, too many
 * entries, too many bytes once inflated (declared or counted), macros, external links, XML entity
 * declarations, and rows or cells past the limits are refused (413 for a size, 400 otherwise).
 */
export async function guardXlsx(data: Uint8Array, limits: Limits = IMPORT_LIMITS): Promise<void> {
  if (OLE_SIGNATURE.every((b, i) => data[i] === b)) {
    throw notPlain('an encrypted or legacy (OLE compound) package');
  }
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => {
    yauzl.fromBuffer(
      Buffer.from(data.buffer, data.byteOffset, data.byteLength),
      { lazyEntries: true, validateEntrySizes: true, decodeStrings: true },
      (err, z) => (err || !z ? reject(unreadable()) : resolve(z)),
    );
  });
  try {
    if (zip.entryCount > limits.zipEntries) {
      throw new TooLargeError(
        `the workbook has more than ${limits.zipEntries} parts`,
        'zipEntries',
        limits.zipEntries,
      );
    }
    let declared = 0;
    let inflated = 0;
    for (;;) {
      const entry = await new Promise<yauzl.Entry | null>((resolve, reject) => {
        const onEntry = (e: yauzl.Entry) => {
          zip.off('end', onEnd);
          zip.off('error', onError);
          resolve(e);
        };
        const onEnd = () => {
          zip.off('entry', onEntry);
          zip.off('error', onError);
          resolve(null);
        };
        const onError = (err: unknown) => {
          zip.off('entry', onEntry);
          zip.off('end', onEnd);
          reject(err);
        };
        zip.once('entry', onEntry).once('end', onEnd).once('error', onError);
        zip.readEntry();
      });
      if (!entry) break;
      const name = entry.fileName;
      if (name.endsWith('/')) continue;
      if (entry.isEncrypted()) throw notPlain('an encrypted part');
      // vbaProject.bin and vbaProjectSignature.bin; printer settings (.bin too) are harmless.
      if (/(^|\/)vbaProject[^/]*\.bin$/i.test(name)) {
        throw notPlain(`macros (${name})`);
      }
      if (name.startsWith('xl/externalLinks/')) throw notPlain(`external links (${name})`);
      declared += entry.uncompressedSize;
      if (declared > limits.inflatedBytes) throw tooInflated(limits);
      if (name === 'xl/sharedStrings.xml' && entry.uncompressedSize > limits.sharedStringsBytes) {
        throw new TooLargeError(
          `the shared strings pass ${limits.sharedStringsBytes} bytes`,
          'sharedStringsBytes',
          limits.sharedStringsBytes,
        );
      }
      const isXml = /\.(xml|rels|vml)$/i.test(name);
      const scanner = /^xl\/worksheets\/[^/]+\.xml$/i.test(name) ? new SheetScanner(limits) : null;
      let tail = '';
      let partBytes = 0;
      let contentTypes = '';
      const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) =>
        zip.openReadStream(entry, (err, s) => (err || !s ? reject(unreadable()) : resolve(s))),
      );
      const check = new Transform({
        transform(chunk: Buffer, _enc, done) {
          try {
            inflated += chunk.length;
            partBytes += chunk.length;
            if (inflated > limits.inflatedBytes) throw tooInflated(limits);
            if (isXml) {
              // Only UTF-8 is read: a UTF-16 part could hide a declaration from the check below.
              if (partBytes === chunk.length && (chunk[0] === 0xfe || chunk[0] === 0xff || chunk[1] === 0)) {
                throw notPlain(`a UTF-16 XML part (${name})`);
              }
              const text = chunk.toString('latin1');
              if (/<!(DOCTYPE|ENTITY)/i.test(tail + text)) {
                throw notPlain(`an XML entity or DOCTYPE declaration (${name})`);
              }
              tail = text.slice(-16);
              scanner?.push(text);
              if (name === '[Content_Types].xml' && contentTypes.length < 1024 * 1024) contentTypes += text;
            }
            if (name === 'xl/sharedStrings.xml' && partBytes > limits.sharedStringsBytes) {
              throw new TooLargeError(
                `the shared strings pass ${limits.sharedStringsBytes} bytes`,
                'sharedStringsBytes',
                limits.sharedStringsBytes,
              );
            }
            done();
          } catch (err) {
            done(err as Error);
          }
        },
      });
      check.resume();
      try {
        await pipeline(stream, check);
      } catch (err) {
        if (err instanceof TooLargeError || err instanceof ValidationError) throw err;
        throw unreadable();
      }
      if (/macroEnabled/i.test(contentTypes)) throw notPlain('macros (a macro-enabled content type)');
    }
  } finally {
    zip.close();
  }
}
