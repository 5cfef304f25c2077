import { Layout } from './layout.tsx';

/**
 * `/docs`: the OpenAPI document rendered on the server as plain HTML (paths, parameters, responses),
 * so the reference needs no CDN-hosted viewer and works without JavaScript.
 */

type Json = Record<string, unknown>;

const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function resolve(doc: Json, v: unknown): Json {
  const ref = str(obj(v).$ref);
  if (!ref.startsWith('#/')) return obj(v);
  return ref
    .slice(2)
    .split('/')
    .reduce<Json>((at, part) => obj(at[part]), doc);
}

/** A short type description: `string`, `integer 1–50`, `A | B | C`, `Grade`. */
function typeOf(doc: Json, schema: unknown): string {
  const s = obj(schema);
  const ref = str(s.$ref);
  if (ref) return ref.split('/').pop() ?? ref;
  const e = arr(s.enum);
  if (e.length > 0) return e.map(String).join(' | ');
  const any = arr(s.anyOf).length > 0 ? arr(s.anyOf) : arr(s.oneOf);
  if (any.length > 0) return any.map((x) => typeOf(doc, x)).join(' | ');
  const t = Array.isArray(s.type) ? s.type.map(String).join(' | ') : str(s.type);
  const range =
    typeof s.minimum === 'number' || typeof s.maximum === 'number'
      ? ` ${s.minimum ?? ''}–${s.maximum ?? ''}`
      : typeof s.maxLength === 'number'
        ? ` ≤ ${s.maxLength}`
        : '';
  if (t === 'array') return `${typeOf(doc, s.items)}[]`;
  return `${t || 'object'}${range}${s.default !== undefined ? ` (默认 ${String(s.default)})` : ''}`;
}

function Schema(props: { doc: Json; name: string; schema: Json }) {
  const props_ = obj(props.schema.properties);
  const required = new Set(arr(props.schema.required).map(String));
  return (
    <section class="card" id={`schema-${props.name}`}>
      <h3 style="margin-top:0">{props.name}</h3>
      {Object.keys(props_).length > 0 ? (
        <div class="table-wrap fit">
          <table>
            <thead>
              <tr>
                <th scope="col">字段</th>
                <th scope="col">类型</th>
                <th scope="col">说明</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(props_).map(([k, v]) => (
                <tr>
                  <td>
                    <code>{k}</code>
                    {required.has(k) ? '' : '?'}
                  </td>
                  <td>{typeOf(props.doc, v)}</td>
                  <td>{str(obj(v).description)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>{typeOf(props.doc, props.schema)}</p>
      )}
    </section>
  );
}

export function DocsPage(props: { doc: unknown }) {
  const doc = obj(props.doc);
  const info = obj(doc.info);
  const paths = obj(doc.paths);
  const schemas = obj(obj(doc.components).schemas);
  const methods = ['get', 'post', 'put', 'patch', 'delete'];
  return (
    <Layout title="开放接口文档">
      <h1>{`${str(info.title)} 接口文档（OpenAPI ${str(doc.openapi)}）`}</h1>
      <p>{str(info.description)}</p>
      <p>
        机器可读的文档：<a href="/openapi.json">/openapi.json</a>。公开接口无需认证，响应带 Cache-Control 与
        ETag，可用 If-None-Match 条件请求。
      </p>
      <nav aria-label="接口目录">
        <ul>
          {Object.entries(paths).flatMap(([path, item]) =>
            methods
              .filter((m) => obj(item)[m])
              .map((m) => (
                <li>
                  <a href={`#${m}-${path.replace(/[^a-zA-Z0-9]+/g, '-')}`}>
                    <code>{`${m.toUpperCase()} ${path}`}</code>
                  </a>
                  {` ${str(obj(obj(item)[m])['x-summary-zh']) || str(obj(obj(item)[m]).summary)}`}
                </li>
              )),
          )}
        </ul>
      </nav>
      <h2>接口</h2>
      {Object.entries(paths).flatMap(([path, item]) =>
        methods
          .filter((m) => obj(item)[m])
          .map((m) => {
            const op = obj(obj(item)[m]);
            const params = arr(op.parameters).map((p) => resolve(doc, p));
            const body = obj(obj(obj(op.requestBody).content)['application/json']).schema;
            return (
              <section class="card" id={`${m}-${path.replace(/[^a-zA-Z0-9]+/g, '-')}`}>
                <h3 style="margin-top:0">
                  <code>{`${m.toUpperCase()} ${path}`}</code>
                </h3>
                <p>
                  <strong>{str(op['x-summary-zh']) || str(op.summary)}</strong>
                  {str(op['x-summary-zh']) && str(op.summary) && (
                    <span lang="en">{` · ${str(op.summary)}`}</span>
                  )}
                </p>
                {str(op.description) && <p>{str(op.description)}</p>}
                {params.length > 0 && (
                  <div class="table-wrap fit">
                    <table>
                      <caption style="text-align:left">参数</caption>
                      <thead>
                        <tr>
                          <th scope="col">名称</th>
                          <th scope="col">位置</th>
                          <th scope="col">类型</th>
                          <th scope="col">说明</th>
                        </tr>
                      </thead>
                      <tbody>
                        {params.map((p) => (
                          <tr>
                            <td>
                              <code>{str(p.name)}</code>
                              {p.required ? '（必填）' : ''}
                            </td>
                            <td>{str(p.in)}</td>
                            <td>{typeOf(doc, p.schema)}</td>
                            <td>{str(p.description) || str(obj(p.schema).description)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                )}
                {body !== undefined && <p>{`请求体（application/json）：${typeOf(doc, body)}`}</p>}
                <div class="table-wrap fit">
                  <table>
                    <caption style="text-align:left">响应</caption>
                    <thead>
                      <tr>
                        <th scope="col">状态</th>
                        <th scope="col">说明</th>
                        <th scope="col">内容</th>
                      </tr>
                    </thead>
                    <tbody>
                      {Object.entries(obj(op.responses)).map(([status, r]) => {
                        const res = resolve(doc, r);
                        return (
                          <tr>
                            <td>{status}</td>
                            <td>{str(res.description)}</td>
                            <td>
                              {Object.entries(obj(res.content))
                                .map(([type, c]) => `${type}: ${typeOf(doc, obj(c).schema)}`)
                                .join('; ')}
                            </td>
                          </tr>
                        );
                      })}
                    </tbody>
                  </table>
                </div>
              </section>
            );
          }),
      )}
      <h2>数据结构</h2>
      {Object.entries(schemas).map(([name, s]) => (
        <Schema doc={doc} name={name} schema={obj(s)} />
      ))}
    </Layout>
  );
}
