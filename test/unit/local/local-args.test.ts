import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseLocalArgs } from '../../../scripts/local-env.ts';

const DATA = join(tmpdir(), 'yimei-local-args');

describe('local command options', () => {
  const saved = process.env.HOST;
  afterEach(() => {
    if (saved === undefined) delete process.env.HOST;
    else process.env.HOST = saved;
  });

  it('listens on this machine only unless told otherwise', () => {
    delete process.env.HOST;
    expect(parseLocalArgs(['--data', DATA]).host).toBe('127.0.0.1');
    expect(parseLocalArgs(['--data', DATA, '--host', '0.0.0.0']).host).toBe('0.0.0.0');
    process.env.HOST = '::';
    expect(parseLocalArgs(['--data', DATA]).host).toBe('::');
  });
});
