import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

/** What the functions published to SNS, as the notice queues would receive it. */
export interface Published {
  topicArn: string | undefined;
  phoneNumber: string | undefined;
  message: string;
  attributes: Record<string, string>;
}

/**
 * The AWS services a function calls besides DynamoDB, on one local port: Secrets Manager (GetSecretValue),
 * SNS (Publish), S3 (objects in memory), the identity provider's JWKS, and WeChat's API. Only what the
 * deployed functions call, answering as the services answer.
 */
export async function startFakeAws(secrets: Record<string, string>) {
  const published: Published[] = [];
  const objects = new Map<string, Buffer>();
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'smoke', alg: 'RS256', use: 'sig' };
  const server: Server = createServer(async (req, res) => {
    const body = await read(req);
    const target = String(req.headers['x-amz-target'] ?? '');
    const url = new URL(req.url ?? '/', 'http://localhost');
    const send = (
      status: number,
      type: string,
      text: string | Buffer,
      headers: Record<string, string> = {},
    ) => {
      res.writeHead(status, { 'content-type': type, ...headers });
      res.end(text);
    };
    if (url.pathname === '/jwks') return send(200, 'application/json', JSON.stringify({ keys: [jwk] }));
    if (url.pathname.startsWith('/cgi-bin/')) {
      return send(
        200,
        'application/json',
        JSON.stringify({ errcode: 0, access_token: 't', expires_in: 7200, msgid: 1 }),
      );
    }
    if (target === 'secretsmanager.GetSecretValue') {
      const { SecretId } = JSON.parse(body.toString()) as { SecretId: string };
      const value = secrets[SecretId];
      if (value === undefined) {
        return send(
          400,
          'application/x-amz-json-1.1',
          JSON.stringify({ __type: 'ResourceNotFoundException' }),
        );
      }
      return send(
        200,
        'application/x-amz-json-1.1',
        JSON.stringify({ ARN: SecretId, Name: SecretId, SecretString: value }),
      );
    }
    if (target.endsWith('.PublishBatch') || body.toString().includes('Action=PublishBatch')) {
      const p = target ? JSON.parse(body.toString()) : queryObject(body.toString());
      const entries = (p.PublishBatchRequestEntries ?? []) as Record<string, unknown>[];
      for (const e of entries) published.push(publishOf({ ...e, TopicArn: p.TopicArn }));
      const ok = entries.map((e) => ({ Id: e.Id, MessageId: crypto.randomUUID() }));
      return target
        ? send(200, 'application/x-amz-json-1.0', JSON.stringify({ Successful: ok, Failed: [] }))
        : send(
            200,
            'text/xml',
            `<PublishBatchResponse><PublishBatchResult><Successful>${ok.map((o) => `<member><Id>${o.Id}</Id><MessageId>${o.MessageId}</MessageId></member>`).join('')}</Successful><Failed/></PublishBatchResult></PublishBatchResponse>`,
          );
    }
    if (
      target.endsWith('.Publish') ||
      (req.method === 'POST' && body.toString().includes('Action=Publish'))
    ) {
      published.push(
        publishOf(
          target ? JSON.parse(body.toString()) : Object.fromEntries(new URLSearchParams(body.toString())),
        ),
      );
      const id = crypto.randomUUID();
      return target
        ? send(200, 'application/x-amz-json-1.0', JSON.stringify({ MessageId: id }))
        : send(
            200,
            'text/xml',
            `<PublishResponse><PublishResult><MessageId>${id}</MessageId></PublishResult></PublishResponse>`,
          );
    }
    // S3, path-style or virtual-hosted.
    const host = String(req.headers.host ?? '');
    const key = host.includes('.localhost') ? `${host.split('.')[0]}${url.pathname}` : url.pathname.slice(1);
    if (req.method === 'PUT') {
      objects.set(key, body);
      return send(200, 'application/xml', '', { ETag: '"smoke"' });
    }
    if (req.method === 'GET' || req.method === 'HEAD') {
      const object = objects.get(key);
      if (object) return send(200, 'application/octet-stream', object);
      return send(404, 'application/xml', '<Error><Code>NoSuchKey</Code><Message>none</Message></Error>');
    }
    send(
      400,
      'application/json',
      JSON.stringify({ message: `not emulated: ${req.method} ${req.url} ${target}` }),
    );
  });
  server.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    published,
    /** A token of the profile's identity provider, its role in `groupsClaim`. */
    token: (claims: {
      issuer: string;
      audience: string;
      groupsClaim: string;
      role: string;
      extra?: object;
    }) =>
      new SignJWT({ [claims.groupsClaim]: [claims.role], ...claims.extra })
        .setProtectedHeader({ alg: 'RS256', kid: 'smoke' })
        .setIssuer(claims.issuer)
        .setAudience(claims.audience)
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(privateKey),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

function read(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

function publishOf(p: Record<string, unknown>): Published {
  const attributes: Record<string, string> = {};
  const given = p.MessageAttributes as
    | Record<string, { StringValue?: string }>
    | Array<{ Name: string; Value?: { StringValue?: string } }>
    | undefined;
  if (Array.isArray(given)) for (const a of given) attributes[a.Name] = a.Value?.StringValue ?? '';
  else if (given) for (const [k, v] of Object.entries(given)) attributes[k] = v.StringValue ?? '';
  // Query protocol: MessageAttributes.entry.N.Name / .Value.StringValue
  for (const [k, v] of Object.entries(p)) {
    const m = /^MessageAttributes\.entry\.(\d+)\.Name$/.exec(k);
    if (m) attributes[String(v)] = String(p[`MessageAttributes.entry.${m[1]}.Value.StringValue`] ?? '');
  }
  return {
    topicArn: p.TopicArn as string | undefined,
    phoneNumber: p.PhoneNumber as string | undefined,
    message: String(p.Message ?? ''),
    attributes,
  };
}

/** A query-protocol body as nested objects: `A.member.1.B=x` becomes `{A: [{B: 'x'}]}`. */
function queryObject(body: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const parts = key.split('.').filter((p) => p !== 'member' && p !== 'entry');
    let at: Record<string, unknown> | unknown[] = out;
    parts.forEach((part, i) => {
      const last = i === parts.length - 1;
      const index = /^\d+$/.test(part) ? Number(part) - 1 : part;
      const container = at as Record<string | number, unknown>;
      if (last) container[index] = value;
      else {
        const nextIsIndex = /^\d+$/.test(parts[i + 1] ?? '');
        container[index] ??= nextIsIndex ? [] : {};
        at = container[index] as Record<string, unknown>;
      }
    });
  }
  return out;
}
