import { rulebook } from '../../domain/rules.ts';
import type { InstitutionDetail } from '../../schemas/institution.ts';
import { cnDate, FONT_STACK, GradeBadge } from './layout.tsx';

/**
 * The door sign's own sheet: A5 by default, A4 with `?size=a4` (the print dialog takes the page size
 * from @page). Large type, the badge in colour AND text, the QR code of the public page.
 */
const SIGN_CSS = (size: 'A4' | 'A5') => `
*{box-sizing:border-box}
@page{size:${size} portrait;margin:12mm}
body{margin:0;font-family:${FONT_STACK};color:#111;background:#fff}
main{max-width:${size === 'A4' ? '186mm' : '124mm'};margin:0 auto;padding:16px;text-align:center}
h1{font-size:${size === 'A4' ? '2rem' : '1.5rem'};margin:.2em 0 .4em;line-height:1.3}
.scheme{font-size:1rem;margin:0;color:#1f2937}
.badge{display:inline-flex;align-items:center;gap:10px;border-radius:14px;padding:10px 24px;font-weight:700;color:#fff;border:3px solid transparent;font-size:${size === 'A4' ? '2.2rem' : '1.7rem'}}
.badge .letter{font-size:2.2em;line-height:1}
.g-A{background:#1b6e2a}.g-B{background:#0b57a4}.g-C{background:#8a4b00}.g-D{background:#b3261e}.g-U{background:#fff;color:#374151;border-color:#6b7280}
dl{display:grid;grid-template-columns:auto auto;justify-content:center;gap:4px 16px;margin:16px 0;font-size:1.1rem}
dt{color:#374151;text-align:right}dd{margin:0;text-align:left;font-weight:700}
.qr img{width:${size === 'A4' ? '70mm' : '50mm'};height:auto}
.issuer{font-size:.95rem;color:#1f2937}
.tools{margin:16px 0;font-size:1rem}
.tools a{color:#0b4f9c}
@media print{.tools{display:none}*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
`;

export function SignPage(props: { d: InstitutionDetail; qrUrl: string; size: 'A4' | 'A5' }) {
  const { d } = props;
  const book = rulebook();
  const other = props.size === 'A4' ? 'A5' : 'A4';
  return (
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${d.name} · 量化分级门牌`}</title>
        <style dangerouslySetInnerHTML={{ __html: SIGN_CSS(props.size) }} />
      </head>
      <body>
        <main>
          <p class="scheme">{book.wording.schemeName}</p>
          <h1>{d.name}</h1>
          <p>
            <GradeBadge grade={d.closed ? null : d.grade} big />
          </p>
          {d.gradeLabel && !d.closed && <p style="font-size:1.2rem;font-weight:700">{d.gradeLabel}</p>}
          <dl>
            <dt>评定日期</dt>
            <dd>{cnDate(d.publishedOn)}</dd>
            <dt>下次复评</dt>
            <dd>{d.nextReviewDue && !d.closed ? `${cnDate(d.nextReviewDue)}前` : '—'}</dd>
            <dt>信用代码</dt>
            <dd>{d.uscc}</dd>
          </dl>
          <p class="qr">
            <img src={props.qrUrl} width={200} height={200} alt={`${d.name}查询页二维码`} />
          </p>
          <p>扫码查看最新等级、历次结果和公示信息</p>
          <p class="issuer">{`发布单位：${book.wording.authority}（${book.contact.regulator}评定）`}</p>
          <p class="issuer">{`投诉举报：${book.contact.hotline}${book.contact.phone ? `，${book.contact.phone}` : ''}`}</p>
          <nav class="tools" aria-label="打印">
            {`打印本页即为 ${props.size} 门牌。`}
            <a href={`/i/${d.uscc}/sign?size=${other.toLowerCase()}`}>{`改为 ${other} 尺寸`}</a>
            {' · '}
            <a href={`/i/${d.uscc}`}>返回机构页面</a>
          </nav>
        </main>
      </body>
    </html>
  );
}
