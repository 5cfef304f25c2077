import { gradeForScore, gradeScoreBand } from '../../domain/grading.ts';
import { rulebook } from '../../domain/rules.ts';
import type { InstitutionDetail } from '../../schemas/institution.ts';
import { CHALLENGE_PATH, OBJECTION_SCRIPT_PATH, SHARE_SCRIPT_PATH } from '../public/challenge.ts';
import { cnDate, GradeBadge, Layout, pendingText } from './layout.tsx';
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
        {pendingText(p)}
      </h2>
      <p>
        <strong>{`拟评定为 ${p.proposedGradeLabel}（${p.score}分）`}</strong>
        ，现等级在公布前不变。
      </p>
      <p>{`${period}${cap}公示结束并经市量化分级工作指导组确认后正式公布。`}</p>
      <ObjectionForm p={p} />
    </section>
  );
}

/** The objection form: folded, so the banner stays short on a phone. */
export function ObjectionForm(props: { p: { objectionUrl: string }; text?: string; open?: boolean }) {
  return (
    <details open={props.open}>
      <summary>对公示结果有异议？</summary>
      <p>
        公示期间，任何人都可以提出异议。请写明异议的事实和理由。提交后会得到一个异议编号，凭编号可查询处理进度；您的姓名、联系方式和异议内容不会公开。
      </p>
      {/* The path alone: the form posts to whichever host served the page. */}
      <form
        method="post"
        action={new URL(props.p.objectionUrl, 'http://x').pathname}
        data-pow={CHALLENGE_PATH}
      >
        <label for="objection-text">异议内容</label>
        <textarea id="objection-text" name="text" rows={4} required maxlength={2000}>
          {props.text ?? ''}
        </textarea>
        <input type="hidden" name="altcha" value="" />
        <noscript>
          <p>
            提交异议需要启用
            JavaScript：为防止恶意刷量，浏览器须先在本机完成一次防刷验证（工作量证明，由本站自行计算，不向任何第三方发送信息）。未启用时也可以先写好内容：提交后页面会说明原因，并保留您写的内容。
          </p>
        </noscript>
        <p aria-live="polite" data-pow-status="" />
        <p>
          <button type="submit">提交异议</button>
        </p>
      </form>
      <script src={OBJECTION_SCRIPT_PATH} defer />
    </details>
  );
}

const STACK_LABELS = ['公布日期', '等级', '得分', '类型'] as const;

function historyNote(h: InstitutionDetail['history'][number]): string {
  if (h.reason !== 'downgrade') return REASONS[h.reason];
  if (!h.cause) return '降级（因违法违规、医疗事故或不良社会事件）';
  return `降级：${cnDate(h.cause.occurredOn)}发生${h.cause.severityLabel}${h.cause.typeLabel}`;
}

function History(props: { history: InstitutionDetail['history']; closed: boolean }) {
  if (props.history.length === 0) return <p>暂无。</p>;
  return (
    <table class="num stack">
      <caption class="muted" style="text-align:left">
        最新的在前
      </caption>
      <thead>
        <tr>
          {STACK_LABELS.map((l) => (
            <th scope="col">{l}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.history.map((h) => (
          <tr>
            <td data-label={STACK_LABELS[0]}>{cnDate(h.publishedOn)}</td>
            <td data-label={STACK_LABELS[1]}>
              <span>
                <GradeBadge grade={h.grade} closed={props.closed} />
              </span>
            </td>
            <td data-label={STACK_LABELS[2]}>{h.score}</td>
            <td data-label={STACK_LABELS[3]} style="white-space:normal">
              {historyNote(h)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The institution's own words, once the regulator approved them, marked as such. */
function Reply(props: { reply: NonNullable<InstitutionDetail['reply']> }) {
  return (
    <section class="reply" aria-labelledby="reply-title">
      <h3 id="reply-title" style="margin:0">
        机构的回应（机构自述，非监管部门意见）
      </h3>
      <blockquote>{props.reply.text}</blockquote>
      <p class="muted" style="margin:0">{`${cnDate(props.reply.approvedOn)}经监管部门审核后发布`}</p>
    </section>
  );
}

/** A shared link shows the name and the grade (and a pending change). */
export function shareDescription(d: InstitutionDetail): string {
  const grade = d.closed ? '已关闭' : (d.gradeLabel ?? '尚未评级');
  const pending = d.publicity ? `；${pendingText(d.publicity)}` : '';
  return `${d.name}：量化分级 ${grade}${pending}。${d.district}${d.kindLabel}。`;
}

/** `/i/{uscc}`: what the QR code on the door opens. */
export function InstitutionPage(props: { d: InstitutionDetail; qrUrl: string }) {
  const { d } = props;
  return (
    <Layout title={d.name} share={{ description: shareDescription(d), url: d.pageUrl }}>
      <h1>{d.name}</h1>
      {d.closed && (
        <p class="banner closed" role="status">
          <strong>该机构已注销/停业</strong>
          {d.closedOn ? `（${cnDate(d.closedOn)}起）` : ''}
          ，以下为其注销/停业前的分级记录，仅供查询，不再复评。
        </p>
      )}
      {d.publicity && <Publicity p={d.publicity} />}
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
        {d.reply && <Reply reply={d.reply} />}
      </section>
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
        <History history={d.history} closed={d.closed} />
      </section>
      {d.industryRatings.length > 0 && (
        <section aria-labelledby="industry-title">
          <h2 id="industry-title">行业协会评价（非政府分级）</h2>
          {d.industryRatings.map((r) => (
            <p>{`${r.ratedBy}评价等级：${r.level}（${cnDate(r.ratedOn)}评定${r.validUntil ? `，有效期至${cnDate(r.validUntil)}` : ''}）。${r.note}。`}</p>
          ))}
        </section>
      )}
      <section aria-labelledby="report-title">
        <h2 id="report-title">反映该机构的问题</h2>
        <p>
          {`对该机构的医疗美容服务有投诉，发现它超范围执业或本页信息有误，可以向${rulebook().contact.regulator}反映，或拨打 `}
          <a href={`tel:${rulebook().contact.hotline}`}>{rulebook().contact.hotline}</a>
          {` 政务服务便民热线。反映时请说明机构名称和统一社会信用代码 ${d.uscc}。`}
          <a href="#footer-contact">监管机构联系方式</a>
        </p>
      </section>
      <section aria-labelledby="share-title">
        <h2 id="share-title">分享、门牌与二维码</h2>
        <label for="page-link">本页链接</label>
        <div class="share">
          <input id="page-link" type="url" readonly value={d.pageUrl} />
          <button type="button" data-copy="page-link" hidden>
            复制链接
          </button>
        </div>
        <p aria-live="polite" data-copy-status="" />
        <p>
          <img src={props.qrUrl} width={160} height={160} alt={`${d.name}查询页二维码`} />
        </p>
        <ul>
          <li>
            <a href={`/i/${d.uscc}/sign`}>打印门牌（A5、A4，含等级和二维码）</a>
          </li>
          <li>
            <a href={props.qrUrl}>下载二维码（SVG）</a>
          </li>
        </ul>
        <script src={SHARE_SCRIPT_PATH} defer />
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
