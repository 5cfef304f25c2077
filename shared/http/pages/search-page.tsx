import type { FieldProblem } from '../../domain/errors.ts';
import { PROCEDURE_NAMES } from '../../domain/procedures.ts';
import { districtNames, kindLabel, kindsInScope } from '../../domain/rules.ts';
import type { InstitutionList } from '../../schemas/search.ts';
import { NEAR_SCRIPT_PATH } from '../public/near-script.ts';
import { mapUrl } from '../public/present.ts';
import type { MatchCount } from '../public/search-count.ts';
import { NotInRegister } from './contact.tsx';
import { cnDate, GradeBadge, Layout, pendingText } from './layout.tsx';

export interface SearchForm {
  q?: string;
  district?: string;
  grade?: string;
  kind?: string;
  procedure?: string;
  /** `lat,lng` in GCJ-02, filled in by the 附近 button's script. */
  near?: string;
  radius?: string;
}

const GRADE_OPTIONS: Array<[string, string]> = [
  ['A', 'A级 示范机构'],
  ['B', 'B级 规范机构'],
  ['C', 'C级 合格机构'],
  ['D', 'D级 待提升机构'],
  ['UNGRADED', '未评级'],
];

const FIELD_LABELS: Record<string, string> = {
  q: '查询词',
  district: '区县',
  grade: '等级',
  kind: '机构类别',
  procedure: '项目',
  near: '位置',
  radius: '范围',
  limit: '每页条数',
  cursor: '翻页参数',
};

function Select(props: { id: string; label: string; value?: string; options: Array<[string, string]> }) {
  return (
    <div>
      <label for={props.id}>{props.label}</label>
      <select id={props.id} name={props.id}>
        <option value="">全部</option>
        {props.options.map(([value, text]) => (
          <option value={value} selected={props.value === value}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

/** `/`: the search form and one page of results; works with plain GET forms, no script. */
export function SearchPage(props: {
  form: SearchForm;
  result: InstitutionList | null;
  total: MatchCount | null;
  errors: FieldProblem[];
  nextHref: string | null;
}) {
  const { form, result } = props;
  const searching = Boolean(
    form.q || form.district || form.grade || form.kind || form.procedure || form.near,
  );
  const filtered = Boolean(form.district || form.grade || form.kind || form.procedure);
  return (
    <Layout title="查询机构">
      <h1>查一查美容医疗机构的量化分级</h1>
      <form class="search card" method="get" action="/" aria-label="查询机构">
        <div>
          <label for="q">机构名称、拼音或信用代码</label>
          <input
            id="q"
            name="q"
            type="search"
            maxlength={64}
            value={form.q ?? ''}
            autocomplete="off"
            aria-describedby="q-hint"
          />
          <p id="q-hint" class="muted" style="margin:4px 0 0;font-size:.9rem">
            名称中的任意几个字、拼音或拼音首字母（如“xhmr”）均可。
          </p>
        </div>
        <details class="filters-fold" open={filtered}>
          <summary>{filtered ? '筛选条件（已选）' : '按区县、等级、类别筛选'}</summary>
          <div class="filters">
            <Select
              id="district"
              label="区县"
              value={form.district}
              options={districtNames().map((d) => [d, d])}
            />
            <Select id="grade" label="等级" value={form.grade} options={GRADE_OPTIONS} />
            <Select
              id="kind"
              label="机构类别"
              value={form.kind}
              options={kindsInScope().map((k) => [k, kindLabel(k)])}
            />
            <Select
              id="procedure"
              label="可开展的项目"
              value={form.procedure}
              options={PROCEDURE_NAMES.map((p) => [p, p])}
            />
          </div>
        </details>
        <input type="hidden" name="near" value={form.near ?? ''} />
        {form.radius && <input type="hidden" name="radius" value={form.radius} />}
        <div>
          <button type="submit">查询</button>{' '}
          <button type="button" id="near-me" hidden>
            附近
          </button>
          <span id="near-status" class="muted" role="status" />
        </div>
      </form>
      {props.errors.length > 0 && (
        <div class="error" role="alert">
          <p>请修改以下内容后重新查询：</p>
          <ul>
            {props.errors.map((e) => (
              <li>{`${FIELD_LABELS[e.path] ?? e.path}：${e.message}`}</li>
            ))}
          </ul>
        </div>
      )}
      {result && (
        <section aria-labelledby="results-title">
          <h2 id="results-title">
            {`${searching ? '查询结果' : '全部机构'}：`}
            <span class="count">{countText(props.total, result.items.length)}</span>
          </h2>
          {result.items.length === 0 ? (
            <>
              <p>没有找到符合条件的机构。可以减少几个字、改用拼音首字母，或放宽筛选条件再试。</p>
              <NotInRegister />
            </>
          ) : (
            <ol class="results">
              {result.items.map((i) => (
                <li class="card">
                  <GradeBadge grade={i.grade} closed={i.closed} />
                  <div>
                    <a class="name" href={`/i/${i.uscc}`}>
                      {i.name}
                    </a>
                    <div class="muted">
                      {`${i.district} · ${kindLabel(i.kind)}`}
                      {i.score !== null && ` · ${i.score}分`}
                      {i.closed && ` · 已注销/停业${i.closedOn ? `（${cnDate(i.closedOn)}起）` : ''}`}
                      {i.distance !== undefined &&
                        ` · 距您约${i.distance < 1000 ? `${i.distance}米` : `${(i.distance / 1000).toFixed(1)}公里`}`}
                    </div>
                    {i.location && (
                      <a href={mapUrl(i.location, i.name)} rel="noopener">
                        在地图中打开
                      </a>
                    )}
                    {i.publicity && <span class="pending">{pendingText(i.publicity)}</span>}
                  </div>
                </li>
              ))}
            </ol>
          )}
          <nav class="pager" aria-label="翻页">
            {props.nextHref && (
              <a href={props.nextHref} rel="next">
                下一页
              </a>
            )}
            {searching || props.nextHref ? <a href="/">重新查询</a> : null}
          </nav>
        </section>
      )}
      <script src={NEAR_SCRIPT_PATH} defer />
      <p class="muted">等级由卫生健康监督机构评定：A级示范、B级规范、C级合格、D级待提升。</p>
    </Layout>
  );
}

function countText(total: MatchCount | null, shown: number): string {
  if (!total) return `本页 ${shown} 家`;
  return total.capped ? `共 ${total.count} 家以上` : `共 ${total.count} 家`;
}
