import type { Child } from 'hono/jsx';
import { latestRules, rulebook } from '../../domain/rules.ts';
import type { Grade } from '../../domain/types.ts';
import { WhoToTurnTo } from './contact.tsx';
import { currentSite, type SiteInfo, withSite } from './site.ts';

/**
 * Page shell: Chinese, mobile-first, no external assets and no JavaScript needed to read (the pages
 * must load on a phone at a clinic's door); only the objection form runs its own proof-of-work script.
 */
/**
 * Latin sans-serif faces first (a bare `system-ui` falls back to a serif face on machines without one),
 * then the Chinese faces of each platform, then the generic family.
 */
export const FONT_STACK =
  '-apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans","Liberation Sans",' +
  '"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei",sans-serif';

/** The site icon: a grade badge, as SVG (served at /favicon.svg and /favicon.ico). */
export const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#0b3d75"/>' +
  '<text x="16" y="23" font-family="Arial,Helvetica,sans-serif" font-size="20" font-weight="700" fill="#fff" text-anchor="middle">A</text></svg>';

const CSS = `
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font-family:${FONT_STACK};line-height:1.6;color:#1a1a1a;background:#f6f7f9;font-size:16px}
a{color:#0b4f9c}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible,summary:focus-visible{outline:3px solid #f0a500;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:8px;z-index:9}
header.site{background:#0b3d75;color:#fff;padding:10px 16px}
header.site a{color:#fff;text-decoration:none}
header.site .brand{font-weight:700;font-size:1.05rem}
header.site nav ul{list-style:none;margin:6px 0 0;padding:0;display:flex;gap:16px;flex-wrap:wrap}
header.site nav a{text-decoration:underline;text-underline-offset:3px}
main{max-width:760px;margin:0 auto;padding:16px}
h1{font-size:1.4rem;margin:.4em 0 .6em;line-height:1.35}
h2{font-size:1.15rem;margin:1.4em 0 .5em}
.card{background:#fff;border:1px solid #d9dde3;border-radius:10px;padding:14px;margin:0 0 12px}
form.search{display:grid;gap:10px}
form.search .filters{display:grid;grid-template-columns:1fr;gap:10px}
@media (min-width:560px){form.search .filters{grid-template-columns:repeat(3,1fr)}}
label{display:block;font-weight:600;margin-bottom:4px}
input,select,textarea{width:100%;font:inherit;padding:10px;border:1px solid #6b7280;border-radius:8px;background:#fff;color:#1a1a1a;min-height:44px}
button{font:inherit;font-weight:700;min-height:44px;padding:10px 18px;border:0;border-radius:8px;background:#0b4f9c;color:#fff;cursor:pointer}
.results{list-style:none;padding:0;margin:0}
.results li{display:flex;gap:12px;align-items:flex-start}
.results .name{font-weight:700;font-size:1.05rem}
.muted{color:#4b5563}
.badge{display:inline-flex;align-items:center;gap:6px;border-radius:8px;padding:2px 10px;font-weight:700;color:#fff;white-space:nowrap;border:2px solid transparent}
.badge .letter{font-size:1.15em}
.g-A{background:#1b6e2a}.g-B{background:#0b57a4}.g-C{background:#8a4b00}.g-D{background:#b3261e}.g-U,.g-closed{background:#fff;color:#374151;border-color:#6b7280}
.badge.big{font-size:1.6rem;padding:8px 18px;border-radius:12px}
.badge.big .letter{font-size:2.6rem;line-height:1}
.banner{border-radius:10px;padding:12px 14px;margin:0 0 12px;border:2px solid}
.banner.publicity{background:#fff6e0;border-color:#b26a00;color:#3d2600}
.banner.closed{background:#f1f1f1;border-color:#4b5563;color:#1f2937}
.banner.overdue{background:#fdecea;border-color:#b3261e;color:#5c0f0a}
.banner strong{font-size:1.1rem}
dl.facts{display:grid;grid-template-columns:auto 1fr;gap:4px 14px;margin:0}
dl.facts dt{color:#4b5563}dl.facts dd{margin:0;font-weight:600}
table{width:100%;border-collapse:collapse;background:#fff}
th,td{text-align:left;padding:8px 6px;border-bottom:1px solid #d9dde3;vertical-align:top}
th{background:#eef1f5;white-space:nowrap}
table.num td{white-space:nowrap}
.table-wrap{overflow-x:auto}
.fit th,.fit td{white-space:normal;overflow-wrap:anywhere}
.scroll-cue{display:none;font-size:.85rem;color:#4b5563;margin:0 0 4px}
@media (max-width:559px){.scroll-cue{display:block}}
@media (max-width:559px){
table.stack thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
table.stack,table.stack tbody,table.stack tr,table.stack td{display:block;width:100%}
table.stack tr{border-bottom:1px solid #d9dde3;padding:6px 0}
table.stack td{display:grid;grid-template-columns:5.5em 1fr;gap:8px;border:0;padding:3px 6px;white-space:normal}
table.stack td::before{content:attr(data-label);color:#4b5563}
}
.pending{display:block;margin-top:4px;padding:2px 8px;border-left:4px solid #b26a00;background:#fff6e0;color:#3d2600;font-weight:600}
.closed-note{display:block;margin-top:4px;color:#374151}
.share{display:flex;gap:8px;align-items:stretch;flex-wrap:wrap}
.share input{flex:1 1 14em;min-width:0}
.share button[hidden]{display:none}
details.filters-fold summary{cursor:pointer;min-height:44px;display:flex;align-items:center;font-weight:600;color:#0b4f9c}
.count{font-weight:700}
.reply{border-left:4px solid #6b7280;background:#f8fafc;padding:8px 12px;margin:12px 0 0}
.reply blockquote{margin:4px 0;white-space:pre-wrap}
footer.site h2{font-size:1rem;margin:0 0 6px;color:#1f2937}
footer.site .contact{background:#fff;border:1px solid #d9dde3;border-radius:10px;padding:12px 14px;margin:0 0 12px;color:#1f2937}
footer.site nav ul{list-style:none;padding:0;margin:6px 0;display:flex;gap:16px;flex-wrap:wrap}
.pager{display:flex;gap:16px;margin:16px 0}
.error{background:#fdecea;border:2px solid #b3261e;color:#5c0f0a;border-radius:8px;padding:10px 12px}
footer.site{max-width:760px;margin:24px auto;padding:0 16px 24px;font-size:.9rem;color:#4b5563}
progress{width:100%;height:18px}
code{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,"Liberation Mono",monospace;background:#eef1f5;padding:1px 4px;border-radius:4px;overflow-wrap:break-word}
`;

/** What a shared link shows (Open Graph): the institution's name and grade, and where it leads. */
export interface ShareMeta {
  description: string;
  url: string;
}

export function Layout(props: { title: string; share?: ShareMeta | undefined; children?: Child }) {
  const { wording } = rulebook();
  const grades = latestRules()
    .grades.map((g) => g.label.replace(/机构$/, ''))
    .join('、');
  const site = currentSite();
  return (
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · ${wording.siteTitle}`}</title>
        <link rel="icon" type="image/svg+xml" href="/favicon.svg" />
        {props.share && (
          <>
            <meta name="description" content={props.share.description} />
            <meta property="og:type" content="website" />
            <meta property="og:site_name" content={wording.siteTitle} />
            <meta property="og:title" content={props.title} />
            <meta property="og:description" content={props.share.description} />
            <meta property="og:url" content={props.share.url} />
            <meta name="twitter:card" content="summary" />
          </>
        )}
        {/* Raw text: escaped quotes (&quot;) would break the font names and fall back to a serif face. */}
        <style dangerouslySetInnerHTML={{ __html: CSS }} />
      </head>
      <body>
        <a class="skip" href="#main">
          跳到正文
        </a>
        <header class="site">
          <a class="brand" href="/">
            {wording.siteTitle}
          </a>
          <nav aria-label="主导航">
            <ul>
              <li>
                <a href="/">查询机构</a>
              </li>
              <li>
                <a href="/publicity">公示中</a>
              </li>
              <li>
                <a href="/objections">异议查询</a>
              </li>
              <li>
                <a href="/stats">分级统计</a>
              </li>
            </ul>
          </nav>
        </header>
        <main id="main">{props.children}</main>
        <footer class="site">
          <WhoToTurnTo headingLevel={2} id="footer-contact" />
          <nav aria-label="开发者">
            <ul>
              <li>
                <a href="/docs">开放接口（开发者）</a>
              </li>
              <li>
                <a href="/v1/export/grades.csv">等级数据下载（CSV）</a>
              </li>
            </ul>
          </nav>
          <p>
            {`数据来源：${rulebook().city.name}卫生健康监督机构量化分级结果（${grades}）。`}
            本页面不含机构联系方式等非公开信息。
          </p>
          {site.icpNumber ? (
            <p class="icp">
              <a href="https://beian.miit.gov.cn/" rel="noopener noreferrer">
                {site.icpNumber}
              </a>
            </p>
          ) : null}
        </footer>
      </body>
    </html>
  );
}

const SHORT: Record<Grade, string> = { A: '示范', B: '规范', C: '合格', D: '待提升' };

/**
 * A table wider than a phone: a labelled region that takes keyboard focus (so it can be scrolled
 * without a pointer) under a visible cue that more columns lie to the right.
 */
export function ScrollTable(props: { label: string; children?: Child }) {
  return (
    <>
      <p class="scroll-cue" aria-hidden="true">
        ← 左右滑动查看全部列 →
      </p>
      {/* A named <section> is a region landmark; tabindex lets the keyboard scroll it. */}
      <section class="table-wrap" aria-label={props.label} tabindex={0}>
        {props.children}
      </section>
    </>
  );
}

/** A grade shown by colour AND text, never colour alone. */
export function GradeBadge(props: { grade: Grade | null; big?: boolean; closed?: boolean }) {
  const size = props.big ? ' big' : '';
  // A closed institution's last grade is a record, not a standing: shown without its colour.
  if (props.closed) {
    return (
      <span class={`badge g-closed${size}`}>
        {props.grade ? `${props.grade}级（已注销/停业）` : '已注销/停业'}
      </span>
    );
  }
  const cls = `badge g-${props.grade ?? 'U'}${size}`;
  if (!props.grade) return <span class={cls}>未评级</span>;
  return (
    <span class={cls}>
      <span class="letter">{props.grade}</span>
      <span>{`级 ${SHORT[props.grade]}`}</span>
    </span>
  );
}

/** 2026-12-11 → 12月11日 (a date within the coming days needs no year). */
export function cnMonthDay(date: string): string {
  const [, m, d] = date.split('-');
  return `${Number(m)}月${Number(d)}日`;
}

/**
 * The one line that says a result is pending, wherever an institution is listed or shown. Where the
 * stage is known, an ended publicity awaits confirmation and a result a later downgrade blocked is
 * never shown as a proposed grade.
 */
export function pendingText(p: {
  proposedGrade: Grade;
  endOn: string;
  stage?: 'open' | 'ended' | 'unpublishable';
}): string {
  if (p.stage === 'unpublishable') return '公示结果不予公布';
  if (p.stage === 'ended') return `公示期满，待审核确认：拟评定为 ${p.proposedGrade}级`;
  return `公示中：拟评定为 ${p.proposedGrade}级，至${cnMonthDay(p.endOn)}`;
}

/** 2026-11-24 → 2026年11月24日 */
export function cnDate(date: string | null): string {
  if (!date) return '—';
  const [y, m, d] = date.split('-');
  return `${y}年${Number(m)}月${Number(d)}日`;
}

/** The page as HTML; `site` (e.g. the ICP number) reaches the layout of whatever page it is. */
export function render(node: unknown, site: SiteInfo = {}): string {
  return `<!doctype html>${renderMarkup(node, site)}`;
}

/** The markup of a page without the doctype, for pages rendered once and kept; markup passes as it is. */
export function renderMarkup(node: unknown, site: SiteInfo = {}): string {
  if (typeof node === 'string') return node;
  return withSite(site, () => String(node));
}
