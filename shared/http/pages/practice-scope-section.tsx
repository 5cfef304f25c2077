import { LEVEL_LABELS } from '../../domain/practice-scope.ts';
import type { InstitutionDetail } from '../../schemas/institution.ts';
import { cnDate } from './layout.tsx';

/**
 * What the institution may do and who does it: licensed subjects, the highest cosmetic-surgery level,
 * the catalogue's procedures the licence allows, attending physicians, and a map link.
 */
export function PracticeScopeSection(props: { d: InstitutionDetail }) {
  const { d } = props;
  return (
    <section aria-labelledby="scope-title">
      <h2 id="scope-title">执业范围与主诊医师</h2>
      {d.subjects.length === 0 ? (
        <p>监管部门尚未录入该机构的执业许可科目。</p>
      ) : (
        <dl class="facts">
          <dt>许可证登记号</dt>
          <dd>
            <code>{d.licenceNumber}</code>
          </dd>
          <dt>核准科目</dt>
          <dd>{d.subjects.join('、')}</dd>
          <dt>美容外科</dt>
          <dd>{d.surgeryLevel ? `可开展${LEVEL_LABELS[d.surgeryLevel]}及以下手术项目` : '不可开展'}</dd>
        </dl>
      )}
      {d.subjects.length > 0 && (
        <>
          <h3>可开展的常见项目</h3>
          {d.procedures.length === 0 ? (
            <p>{d.closed ? '该机构已关闭。' : '常见项目目录中没有该机构可开展的项目。'}</p>
          ) : (
            <ul>
              {d.procedures.map((p) => (
                <li>
                  {p.name}
                  <span class="muted">
                    （{p.formal}，{p.subject}
                    {p.level ? `${LEVEL_LABELS[p.level]}` : ''}）
                  </span>
                </li>
              ))}
            </ul>
          )}
          <p class="muted">依据《医疗美容项目分级管理目录》（2009）；目录外项目请向机构或监管部门核实。</p>
        </>
      )}
      <h3>主诊医师</h3>
      {d.physicians.length === 0 ? (
        <p>暂无登记的主诊医师。</p>
      ) : (
        <ul>
          {d.physicians.map((p) => (
            <li>
              {p.name}（{p.subject}，执业证书编码 <code>{p.certificateNo}</code>，{cnDate(p.since)}起）
            </li>
          ))}
        </ul>
      )}
      {d.mapUrl && (
        <p>
          <a href={d.mapUrl} rel="noopener">
            在地图中查看位置
          </a>
        </p>
      )}
    </section>
  );
}
