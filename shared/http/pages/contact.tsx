import { rulebook } from '../../domain/rules.ts';

/** `tel:` link target: the digits of a number as written (hyphens are for reading). */
const telHref = (n: string) => `tel:${n.replace(/[^0-9]/g, '')}`;

/**
 * Who a member of the public can turn to, from the city's rulebook (`contact`): the regulator with
 * whatever of its phone, address and hours the operator has filled in, and the government hotline.
 */
export function WhoToTurnTo(props: { headingLevel?: 2 | 3; id?: string }) {
  const c = rulebook().contact;
  const id = props.id ?? 'contact-title';
  const Heading = props.headingLevel === 2 ? 'h2' : 'h3';
  return (
    <section class="contact" aria-labelledby={id}>
      <Heading id={id}>投诉、举报和咨询</Heading>
      <dl class="facts">
        <dt>监管机构</dt>
        <dd>{c.regulator}</dd>
        {c.phone && (
          <>
            <dt>电话</dt>
            <dd>
              <a href={telHref(c.phone)}>{c.phone}</a>
            </dd>
          </>
        )}
        {c.address && (
          <>
            <dt>地址</dt>
            <dd>{c.address}</dd>
          </>
        )}
        {c.hours && (
          <>
            <dt>办公时间</dt>
            <dd>{c.hours}</dd>
          </>
        )}
        <dt>政务热线</dt>
        <dd>
          <a href={telHref(c.hotline)}>{c.hotline}</a>（政务服务便民热线，受理投诉举报）
        </dd>
        {c.complaintUrl && (
          <>
            <dt>网上投诉</dt>
            <dd>
              <a href={c.complaintUrl} rel="noopener noreferrer">
                网上投诉举报入口
              </a>
            </dd>
          </>
        )}
      </dl>
    </section>
  );
}

/** What to do when a clinic is not in the register: check its licence, report unlicensed practice. */
export function NotInRegister() {
  const c = rulebook().contact;
  return (
    <div class="card help">
      <h3>查不到这家机构？</h3>
      <p>本站只收录已纳入量化分级的美容医疗机构。查不到时，可以这样核实：</p>
      <ol>
        <li>
          看执业许可：合法的医疗机构都有卫生健康部门核发的《医疗机构执业许可证》，应悬挂在诊疗场所的显著位置，登记的诊疗科目中应有“医疗美容科”或相应的美容专业。
          {c.licenceCheckUrl && (
            <>
              {' '}
              也可以在
              <a href={c.licenceCheckUrl} rel="noopener noreferrer">
                执业许可查询页面
              </a>
              核对。
            </>
          )}
        </li>
        <li>看执业人员：实施医疗美容项目的必须是执业医师，主诊医师应具备相应资格。</li>
        <li>
          {`发现无证行医、超范围开展医疗美容或在生活美容场所开展医疗美容的，可向${c.regulator}举报，或拨打 `}
          <a href={telHref(c.hotline)}>{c.hotline}</a>
          {' 政务服务便民热线。'}
        </li>
      </ol>
    </div>
  );
}
