import type { Stats, StatsEntry } from '../../schemas/search.ts';
import { Layout, ScrollTable } from './layout.tsx';

const SERIES = [
  { key: 'A', label: 'A级 示范', fill: '#1b6e2a', text: '#fff' },
  { key: 'B', label: 'B级 规范', fill: '#0b57a4', text: '#fff' },
  { key: 'C', label: 'C级 合格', fill: '#8a4b00', text: '#fff' },
  { key: 'D', label: 'D级 待提升', fill: '#b3261e', text: '#fff' },
  { key: 'ungraded', label: '未评级', fill: '#d1d5db', text: '#111' },
] as const;

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** Stacked bars of grades per district, drawn on the server (no chart script to download). */
function GradeChart(props: { districts: StatsEntry[] }) {
  // Drawn at phone width (360 units) so the text stays legible without zooming.
  const rowH = 28;
  const labelW = 54;
  const barW = 264;
  const top = 52;
  const max = Math.max(1, ...props.districts.map((d) => d.institutions));
  const height = top + props.districts.length * rowH + 8;
  return (
    <svg
      viewBox={`0 0 ${labelW + barW + 40} ${height}`}
      width="100%"
      role="img"
      aria-labelledby="chart-title chart-desc"
      style="background:#fff;border:1px solid #d9dde3;border-radius:10px"
    >
      <title id="chart-title">各区县机构等级分布</title>
      <desc id="chart-desc">
        每行一个区县，横条按A、B、C、D级和未评级分段，段内数字为机构数；下方表格列出同样的数据。
      </desc>
      {SERIES.map((s, i) => (
        <g transform={`translate(${6 + (i % 3) * 116},${6 + Math.floor(i / 3) * 20})`}>
          <rect width="14" height="14" fill={s.fill} stroke="#374151" stroke-width="0.5" />
          <text x="19" y="12" font-size="13" fill="#1a1a1a">
            {s.label}
          </text>
        </g>
      ))}
      {props.districts.map((d, row) => {
        const y = top + row * rowH;
        let x = labelW;
        return (
          <g>
            <text x={labelW - 6} y={y + 18} font-size="14" text-anchor="end" fill="#1a1a1a">
              {d.district ?? '全市'}
            </text>
            {SERIES.map((s) => {
              const n = d[s.key];
              const w = (n / max) * barW;
              const seg = (
                <g>
                  <rect x={x} y={y + 4} width={w} height={rowH - 8} fill={s.fill}>
                    <title>{`${d.district ?? '全市'} ${s.label}：${n}家`}</title>
                  </rect>
                  {w >= 16 && (
                    <text x={x + w / 2} y={y + 19} font-size="12" text-anchor="middle" fill={s.text}>
                      {String(n)}
                    </text>
                  )}
                </g>
              );
              x += w;
              return seg;
            })}
            <text x={x + 4} y={y + 18} font-size="13" fill="#374151">
              {String(d.institutions)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** `/stats`: grades by district and coverage against the end-of-2026 target. */
export function StatsPage(props: { stats: Stats }) {
  const { stats } = props;
  const { total } = stats;
  return (
    <Layout title="分级统计">
      <h1>全市美容医疗机构量化分级统计</h1>
      <p class="muted">{`统计时间：${stats.asOf.slice(0, 16).replace('T', ' ')}（北京时间）。已关闭的机构不计入。`}</p>
      <section class="card" aria-labelledby="coverage-title">
        <h2 id="coverage-title" style="margin-top:0">
          {`覆盖率：目标${stats.target.year}年底全覆盖`}
        </h2>
        <p>
          <strong style="font-size:1.5rem">{pct(total.coverage)}</strong>
          {`　已有公布等级 ${total.institutions - total.ungraded} 家 / 应评 ${total.institutions} 家，尚有 ${total.ungraded} 家未评级。`}
        </p>
        <label for="coverage-progress">{`全市覆盖进度（目标 ${pct(stats.target.coverage)}）`}</label>
        <progress id="coverage-progress" max={1} value={total.coverage}>
          {pct(total.coverage)}
        </progress>
      </section>
      <section aria-labelledby="chart-heading">
        <h2 id="chart-heading">各区县等级分布</h2>
        <GradeChart districts={stats.districts} />
      </section>
      <section aria-labelledby="table-heading">
        <h2 id="table-heading">数据表</h2>
        <ScrollTable label="各区县等级分布数据表">
          <table class="num">
            <thead>
              <tr>
                <th scope="col">区县</th>
                <th scope="col">覆盖率</th>
                <th scope="col">机构数</th>
                <th scope="col">A级</th>
                <th scope="col">B级</th>
                <th scope="col">C级</th>
                <th scope="col">D级</th>
                <th scope="col">未评级</th>
              </tr>
            </thead>
            <tbody>
              {[...stats.districts, total].map((d) => (
                <tr>
                  <th scope="row">{d.district ?? '全市合计'}</th>
                  <td>{pct(d.coverage)}</td>
                  <td>{d.institutions}</td>
                  <td>{d.A}</td>
                  <td>{d.B}</td>
                  <td>{d.C}</td>
                  <td>{d.D}</td>
                  <td>{d.ungraded}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      </section>
    </Layout>
  );
}
