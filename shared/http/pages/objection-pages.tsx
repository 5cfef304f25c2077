import { formatReference } from '../../domain/objection-reference.ts';
import type { ObjectionStatus } from '../public/objection-status.ts';
import { ObjectionForm } from './institution-page.tsx';
import { cnDate, Layout } from './layout.tsx';

const STATUS_LABELS: Record<ObjectionStatus['status'], string> = {
  received: '已受理',
  under_review: '核查中',
  upheld: '异议成立',
  dismissed: '异议不成立',
};

const STATUS_NOTES: Record<ObjectionStatus['status'], string> = {
  received: '公示期内收到的异议，监督机构将在核查后作出处理。',
  under_review: '公示期已结束，监督机构正在核查。异议处理完毕前，该结果不会正式公布。',
  upheld: '监督机构认为异议成立，该公示结果已撤回。',
  dismissed: '监督机构认为异议不成立。',
};

/** After a form post: the receipt, short enough to note down or print. */
export function ObjectionReceiptPage(props: { reference: string; lodgedOn: string; name: string }) {
  const ref = formatReference(props.reference);
  return (
    <Layout title="异议已提交">
      <h1>异议已提交</h1>
      <section class="card" aria-labelledby="receipt-title">
        <h2 id="receipt-title" style="margin-top:0">
          异议回执
        </h2>
        <dl class="facts">
          <dt>异议编号</dt>
          <dd>
            <strong class="reference">{ref}</strong>
          </dd>
          <dt>提交日期</dt>
          <dd>{cnDate(props.lodgedOn)}</dd>
          <dt>涉及机构</dt>
          <dd>{props.name}</dd>
        </dl>
        <p>请记下或截图保存异议编号。凭编号可随时查询处理进度，无需登录；页面不会显示您的身份和异议内容。</p>
        <p>
          <a href={`/objections/${props.reference}`}>查询处理进度</a>
        </p>
      </section>
    </Layout>
  );
}

/** A form post that could not be lodged: why, and the form again with what was typed. */
export function ObjectionRefusedPage(props: {
  message: string;
  text: string;
  objectionUrl: string;
  backHref: string | null;
}) {
  return (
    <Layout title="异议未能提交">
      <h1>异议未能提交</h1>
      <p class="error" role="alert">
        {props.message}
      </p>
      <p>您写的内容保留在下面，可以修改后重新提交，或复制保存。</p>
      <ObjectionForm p={{ objectionUrl: props.objectionUrl }} text={props.text} open />
      {props.backHref && (
        <p>
          <a href={props.backHref}>返回机构页面</a>
        </p>
      )}
    </Layout>
  );
}

/** `/objections`: type a reference to follow an objection. */
export function ObjectionLookupPage(props: { typed?: string; problem?: string }) {
  return (
    <Layout title="异议查询">
      <h1>查询异议处理进度</h1>
      <form class="search card" method="get" action="/objections" aria-label="查询异议">
        <div>
          <label for="ref">异议编号</label>
          <input
            id="ref"
            name="ref"
            type="text"
            maxlength={32}
            value={props.typed ?? ''}
            autocomplete="off"
            autocapitalize="characters"
            aria-describedby="ref-hint"
            aria-invalid={props.problem ? 'true' : undefined}
          />
          <p id="ref-hint" class="muted" style="margin:4px 0 0;font-size:.9rem">
            提交异议后得到的 8 位编号，如 7KQ2-M9XD，不区分大小写。
          </p>
        </div>
        {props.problem && (
          <p class="error" role="alert">
            {props.problem}
          </p>
        )}
        <div>
          <button type="submit">查询</button>
        </div>
      </form>
    </Layout>
  );
}

/** `/objections/{reference}`: where an objection stands, never who made it or what it said. */
export function ObjectionStatusPage(props: { s: ObjectionStatus }) {
  const { s } = props;
  return (
    <Layout title={`异议 ${s.reference}`}>
      <h1>{`异议 ${s.reference}`}</h1>
      <section class="card" aria-labelledby="status-title">
        <h2 id="status-title" style="margin-top:0">
          {`处理状态：${STATUS_LABELS[s.status]}`}
        </h2>
        <p>{STATUS_NOTES[s.status]}</p>
        <dl class="facts">
          <dt>涉及机构</dt>
          <dd>
            <a href={`/i/${s.institution.uscc}`}>{s.institution.name}</a>
          </dd>
          <dt>受理日期</dt>
          <dd>{cnDate(s.receivedOn)}</dd>
          <dt>公示截止</dt>
          <dd>{cnDate(s.publicityEndOn)}</dd>
          <dt>处理日期</dt>
          <dd>{cnDate(s.decidedOn)}</dd>
          {s.reason && (
            <>
              <dt>处理理由</dt>
              <dd>{s.reason}</dd>
            </>
          )}
        </dl>
      </section>
      <p class="muted">本页不显示异议人的身份和异议内容。</p>
      <p>
        <a href="/objections">查询其他异议</a>
      </p>
    </Layout>
  );
}
