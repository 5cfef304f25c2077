import { describe, expect, it } from 'vitest';
import { embeddable, embeddedDocument } from '#shared/http/embedded-document.ts';

describe('the OpenAPI document embedded in the public bundle', () => {
  it('decodes to the document built at bundle time, served from the deployment’s own address', () => {
    const built = {
      openapi: '3.1.0',
      info: { title: '杭州医美信用', version: '1' },
      servers: [{ url: 'https://credit.example' }],
      paths: { '/v1/stats': { get: { operationId: 'getV1Stats' } } },
    };
    const packed = embeddable(built);
    expect(packed).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const serve = embeddedDocument(packed, 'https://credit.hangzhou.example');
    expect(serve()).toEqual({ ...built, servers: [{ url: 'https://credit.hangzhou.example' }] });
  });
});
