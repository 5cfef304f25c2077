import { gradeForScore, gradeScoreBand } from '../../domain/grading.ts';
import type { InstitutionDetail } from '../../schemas/institution.ts';
import { CHALLENGE_PATH, OBJECTION_SCRIPT_PATH } from '../public/challenge.ts';
import { cnDate, GradeBadge, Layout } from './layout.tsx';
import { PracticeScopeSection } from './practice-scope-section.tsx';

const REASONS: Record<InstitutionDetail['history'][number]['reason'], string> = {
  initial: '首次评定',
  review: '动态复评',
  upgrade: '主动升级',
  downgrade: '降级',
};

/**
 * The score beside the grade tells one story: its band only when the score gives this grade; after a
 * downgrade, the score it came from and the downgrade with its date, never a band that contradicts it.
 */
export function scoreLine(d: Pick<InstitutionDetail, 'grade' | 'score' | 'history'>): string {
  if (d.grade === null || d.score === null) return '';
  const latest = d.history[0];
  if (latest?.proposedGrade && latest.proposedGrade !== d.grade && latest.grade === d.grade) {
    return `。公示拟评定为${latest.proposedGrade}级（${d.score}分）；公示期间发生违法违规、医疗事故或不良社会事件，按规定评定为${d.grade}级`;
  }
  if (latest?.reason === 'downgrade' && gradeForScore(d.score) !== d.grade) {
    return `。原评分 ${d.score} 分；${cnDate(latest.publishedOn)}因违法违规、医疗事故或不良社会事件自动降级为${d.grade}级`;
  }
  if (gradeForScore(d.score) !== d.grade) return `，得分 ${d.score} 分`;
  return `，得分 ${d.score} 分（${gradeScoreBand(d.grade)}）`;
}

function Publicity(props: { p: NonNullable<InstitutionDetail['publicity']> }) {
  const { p } = props;
  const period = `公示期：${cnDate(p.startOn)} 至 ${cnDate(p.endOn)}（24时截止）。`;
  if (p.stage === 'unpublishable') {
    return (
      <section class="banner publicity" aria-labelledby="publicity-title">
        <h2 id="publicity-title" style="margin-top:0">
          公示结果不予公布
        </h2>
        <p>{`${period}公示期间该机构因违法违规、医疗事故或不良社会事件被降级，本次拟评定结果（${p.proposedGradeLabel}，${p.score}分）不能公布，须重新评分。`}</p>
      </section>
    );
  }
  const cap = p.gradeCap
    ? `公示期间发生违法违规、医疗事故或不良社会事件，公布时等级不高于${p.gradeCap}级。`
    : '';
  if (p.stage === 'ended') {
    return (
      <section class="banner publicity" aria-labelledby="publicity-title">
        <h2 id="publicity-title" style="margin-top:0">
          公示期满，待审核确认
        </h2>
        <p>
          <strong>{`拟评定为 ${p.proposedGradeLabel}（${p.score}分）`}</strong>
        </p>
        <p>{`${period}${cap}公示已结束，不再受理异议；经市量化分级工作指导组审核确认后正式公布。`}</p>
      </section>
    );
  }
  return (
    <section class="banner publicity" aria-labelledby="publicity-title">
      <h2 id="publicity-title" style="margin-top:0">
        在公示中
      </h2>
      <p>
        <strong>{`拟评定为 ${p.proposedGradeLabel}（${p.score}分）`}</strong>
      </p>
      <p>{`${period}${cap}公示结束并经市量化分级工作指导组确认后正式公布。`}</p>
      <details>
        <summary>对公示结果有异议？</summary>
        <p>公示期间，任何人都可以提出异议。请写明异议的事实和理由。</p>
        <form method="post" action={p.objectionUrl} data-pow={CHALLENGE_PATH}>
          <label for="objection-text">异议内容</label>
          <textarea id="objection-text" name="text" rows={4} required maxlength={2000} />
          <input type="hidden" name="altcha" value="" />
          <noscript>
            <p>
              提交异议需要启用
              JavaScript：为防止恶意刷量，浏览器须先在本机完成一次防刷验证（工作量证明，由本站自行计算，不向任何第三方发送信息）。
            </p>
          </noscript>
          <p aria-live="polite" data-pow-status="" />
          <p>
            <button type="submit">提交异议</button>
          </p>
        </form>
        <script src={OBJECTION_SCRIPT_PATH} defer />
      </details>
    </section>
  );
}

/** `/i/{uscc}`: what the QR code on the door opens. */
export function InstitutionPage(props: { d: InstitutionDetail; qrUrl: string }) {
  const { d } = props;
  return (
    <Layout title={d.name}>
      <h1>{d.name}</h1>
      {d.closed && (
        <p class="banner closed" role="status">
          <strong>该机构已注销/停业</strong>
          {d.closedOn ? `（${cnDate(d.closedOn)}起）` : ''}
          ，以下为其注销/停业前的分级记录，仅供查询，不再复评。
        </p>
      )}
      <section class="card" aria-labelledby="grade-title">
        <h2 id="grade-title" style="margin-top:0">
          当前等级
        </h2>
        <p>
          <GradeBadge grade={d.grade} big closed={d.closed} />
        </p>
        {d.grade ? (
          <>
            <p>
              <strong>{d.gradeLabel}</strong>
              {d.score !== null && scoreLine(d)}
            </p>
            <p>{d.gradeMeaning}</p>
          </>
        ) : (
          <p>该机构尚无已公布的量化分级结果。</p>
        )}
        <dl class="facts">
          <dt>公布日期</dt>
          <dd>{cnDate(d.publishedOn)}</dd>
          <dt>下次复评</dt>
          <dd>{d.nextReviewDue ? `${cnDate(d.nextReviewDue)}前` : '—'}</dd>
          <dt>区县</dt>
          <dd>{d.district}</dd>
          <dt>类别</dt>
          <dd>{d.kindLabel}</dd>
          <dt>地址</dt>
          <dd>{d.address}</dd>
          <dt>信用代码</dt>
          <dd>
            <code>{d.uscc}</code>
          </dd>
        </dl>
        {d.reviewOverdue && (
          <p class="banner overdue" style="margin-top:12px">
            该机构已超过复评期限，尚未完成动态复评。
          </p>
        )}
      </section>
      {d.publicity && <Publicity p={d.publicity} />}
      {d.measures.length > 0 && (
        <section aria-labelledby="measures-title">
          <h2 id="measures-title">该等级对应的监管措施</h2>
          <ul>
            {d.measures.map((m) => (
              <li>
                <strong>{m.label}</strong>：{m.description}
              </li>
            ))}
          </ul>
        </section>
      )}
      <PracticeScopeSection d={d} />
      <section aria-labelledby="history-title">
        <h2 id="history-title">历次公布结果</h2>
        {d.history.length === 0 ? (
          <p>暂无。</p>
        ) : (
          <div class="table-wrap">
            <table class="num">
              <caption class="muted" style="text-align:left">
                最新的在前
              </caption>
              <thead>
                <tr>
                  <th scope="col">公布日期</th>
                  <th scope="col">等级</th>
                  <th scope="col">得分</th>
                  <th scope="col">类型</th>
                </tr>
              </thead>
              <tbody>
                {d.history.map((h) => (
                  <tr>
                    <td>{cnDate(h.publishedOn)}</td>
                    <td>
                      <GradeBadge grade={h.grade} closed={d.closed} />
                    </td>
                    <td>{h.score}</td>
                    <td>{REASONS[h.reason]}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {d.industryRatings.length > 0 && (
        <section aria-labelledby="industry-title">
          <h2 id="industry-title">行业协会评价（非政府分级）</h2>
          {d.industryRatings.map((r) => (
            <p>{`${r.ratedBy}评价等级：${r.level}（${cnDate(r.ratedOn)}评定${r.validUntil ? `，有效期至${cnDate(r.validUntil)}` : ''}）。${r.note}。`}</p>
          ))}
        </section>
      )}
      <section aria-labelledby="qr-title">
        <h2 id="qr-title">本页二维码</h2>
        <p>
          <img src={props.qrUrl} width={160} height={160} alt={`${d.name}查询页二维码`} />
        </p>
        <p>
          <a href={props.qrUrl}>下载门牌二维码（SVG）</a>
        </p>
      </section>
    </Layout>
  );
}

/**
 * Splits a service message written "English (中文)" into its Chinese and English parts, so a page can
 * put the Chinese first; a message with no Chinese part is returned whole as `en`.
 */
export function chineseFirst(message: string): { zh: string | null; en: string } {
  const m = /^(.*?)\s*[(（]([^()（）]*[\u4e00-\u9fff][^()（）]*)[)）]\s*$/su.exec(message);
  return m?.[1] && m[2] ? { zh: m[2], en: m[1] } : { zh: null, en: message };
}

export function MessagePage(props: { title: string; message: string }) {
  const { zh, en } = chineseFirst(props.message);
  return (
    <Layout title={props.title}>
      <h1>{props.title}</h1>
      {zh && <p>{zh}</p>}
      <p lang={zh ? 'en' : undefined} class={zh ? 'muted' : undefined}>
        {en}
      </p>
      <p>
        <a href="/">返回查询</a>
      </p>
    </Layout>
  );
}
