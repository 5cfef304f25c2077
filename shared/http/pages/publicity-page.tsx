import { kindLabel } from '../../domain/rules.ts';
import type { Grade } from '../../domain/types.ts';
import { cnDate, GradeBadge, Layout, pendingText } from './layout.tsx';

export interface PublicityItem {
  uscc: string;
  name: string;
  kind: Parameters<typeof kindLabel>[0];
  district: string;
  proposedGrade: Grade;
  score: number;
  startOn: string;
  endOn: string;
  stage?: 'open' | 'unpublishable';
}

/** `/publicity`: every result now in publicity, each with how to object on its institution's page. */
export function PublicityPage(props: { items: PublicityItem[]; nextHref: string | null }) {
  return (
    <Layout title="公示中的结果">
      <h1>公示中的量化分级结果</h1>
      <p>
        {`以下结果正在公示（${props.items.length > 0 ? '截止早的在前' : '暂无'}）。公示期内任何人都可以提出异议：打开机构页面，在公示栏中填写异议。`}
      </p>
      {props.items.length > 0 && (
        <ol class="results">
          {props.items.map((i) => (
            <li class="card">
              <GradeBadge grade={i.proposedGrade} />
              <div>
                <a class="name" href={`/i/${i.uscc}`}>
                  {i.name}
                </a>
                <div class="muted">{`${i.district} · ${kindLabel(i.kind)} · ${i.score}分`}</div>
                <span class="pending">{pendingText(i)}</span>
                <div class="muted">{`公示期 ${cnDate(i.startOn)} 至 ${cnDate(i.endOn)}`}</div>
              </div>
            </li>
          ))}
        </ol>
      )}
      {props.nextHref && (
        <nav class="pager" aria-label="翻页">
          <a href={props.nextHref} rel="next">
            下一页
          </a>
        </nav>
      )}
    </Layout>
  );
}
