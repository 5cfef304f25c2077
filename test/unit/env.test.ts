import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  ConfigurationError,
  json,
  parseEnvironment,
  requireSetting,
  TABLE_VARIABLES,
  text,
  wholeNumber,
} from '#shared/env.ts';

const Schema = z.object({
  ...TABLE_VARIABLES,
  LIMIT: wholeNumber(1, 10, 5),
  LIST: json('["..."]', z.array(text())).optional(),
});

describe('the environment parser the configurations share', () => {
  it('parses what is set and applies the defaults', () => {
    expect(parseEnvironment(Schema, { TABLE_NAME: 't', LIMIT: '7', LIST: '["a"]' })).toEqual({
      TABLE_NAME: 't',
      AWS_REGION: 'cn-north-1',
      LIMIT: 7,
      LIST: ['a'],
    });
    expect(parseEnvironment(Schema, { TABLE_NAME: 't' }).LIMIT).toBe(5);
  });

  it('refuses in one error naming every variable at fault', () => {
    const parse = () => parseEnvironment(Schema, { DYNAMODB_ENDPOINT: 'nowhere', LIMIT: '2.5', LIST: '[a' });
    expect(parse).toThrow(ConfigurationError);
    expect(parse).toThrow(
      /^invalid configuration: TABLE_NAME: [^;]+; DYNAMODB_ENDPOINT: [^;]+; LIMIT: [^;]+; LIST: must be JSON \["\.\.\."\]$/,
    );
  });

  it('refuses a whole number out of its bounds, and JSON of the wrong shape, naming the variable', () => {
    expect(() => parseEnvironment(Schema, { TABLE_NAME: 't', LIMIT: '11' })).toThrow(
      /^invalid configuration: LIMIT: /,
    );
    expect(() => parseEnvironment(Schema, { TABLE_NAME: 't', LIST: '[""]' })).toThrow(
      /^invalid configuration: LIST\.0: /,
    );
  });

  it('names a setting a component needs but did not get', () => {
    const config = parseEnvironment(Schema, { TABLE_NAME: 't' });
    expect(requireSetting(config, 'TABLE_NAME')).toBe('t');
    expect(() => requireSetting(config, 'LIST')).toThrow('invalid configuration: LIST is required');
  });
});
