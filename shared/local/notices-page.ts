import { Hono } from 'hono';
import { readSink, type SinkLine, wechatCardFields } from '../notify/local-sink.ts';
import { NOTICE_KINDS } from '../notify/port.ts';
import { NOTICE_SAMPLES, SAMPLE_ON, SAMPLE_USCC } from '../notify/samples.ts';
import { renderSms, SMS_LONG_PART_CHARS, SMS_SEGMENT_CHARS, smsSegments } from '../notify/sms-templates.ts';
import { renderNotice } from '../notify/templates.ts';

const CHANNEL_LABEL: Record<string, string> = { wechat: '微信', sms: '短信', feed: '变更推送' };

/** The registered WeChat template's title, shown at the top of every card (docs/notices.md). */
const WECHAT_CARD_TITLE = '量化分级信用提醒';

function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The local notice sink as a page, newest first, each notice as the phone shows it: a WeChat card with
 * its displayed fields only, an SMS with its signature, length and billed segments. Below, one sample
 * of every notice kind (mounted by the local server only, at `/dev`).
 */
export function devNoticesRoutes(dataDir: string) {
  const app = new Hono();
  app.get('/notices', async (c) => {
    const entries = await readSink(dataDir);
    c.header('Cache-Control', 'no-store');
    return c.html(renderNotices(entries));
  });
  return app;
}

function wechatCardHtml(fields: ReadonlyArray<{ label: string; value: string }>, uscc: string | undefined) {
  const rows = fields.map((f) => `<dt>${escapeHtml(f.label)}</dt><dd>${escapeHtml(f.value)}</dd>`).join('');
  const link = uscc ? `<a class="more" href="/i/${encodeURIComponent(uscc)}">查看详情 ›</a>` : '';
  return `<div class="wx"><div class="wx-title">${WECHAT_CARD_TITLE}</div><dl>${rows}</dl>${link}</div>`;
}

function smsHtml(text: string) {
  const chars = Array.from(text).length;
  const segments = smsSegments(text);
  return (
    `<div class="sms"><div class="bubble">${escapeHtml(text)}</div>` +
    `<div class="count">${chars} 字 · 计费 ${segments} 条（${SMS_SEGMENT_CHARS} 字以内一条，超出按每条 ${SMS_LONG_PART_CHARS} 字）</div></div>`
  );
}

function phoneView(e: SinkLine): string {
  if (e.channel === 'wechat' && Array.isArray(e.fields)) return wechatCardHtml(e.fields, e.uscc);
  if (e.channel === 'sms' && typeof e.text === 'string') return smsHtml(e.text);
  return `<div class="title">${escapeHtml(e.title ?? e.kind)}</div><div class="text">${escapeHtml(e.text)}</div>`;
}

/** Every notice kind rendered from its sample: the WeChat card beside the SMS. */
export function renderSamples(): string {
  return NOTICE_KINDS.map((kind) => {
    const params = NOTICE_SAMPLES[kind];
    const fields = wechatCardFields({ kind, params, on: SAMPLE_ON, uscc: SAMPLE_USCC });
    const sms = renderSms(kind, params, SAMPLE_USCC);
    return (
      `<li id="sample-${kind}"><div class="meta"><span class="ch">样例</span> ${escapeHtml(kind)} · ` +
      `${escapeHtml(renderNotice(kind, params).title)} · 短信模板 ${escapeHtml(sms.templateCode)}</div>` +
      `<div class="pair">${wechatCardHtml(fields, SAMPLE_USCC)}${smsHtml(sms.text)}</div></li>`
    );
  }).join('\n');
}

export function renderNotices(entries: readonly SinkLine[]): string {
  const rows = entries
    .map((e) => {
      const channel = e.channel ?? '';
      const meta = [e.at, e.uscc, e.kind, e.cycle, e.to ? `发往 ${e.to}` : null].filter((m) => m);
      return (
        `<li><div class="meta"><span class="ch">${escapeHtml(CHANNEL_LABEL[channel] ?? channel)}</span> ` +
        `${meta.map(escapeHtml).join(' · ')}</div>${phoneView(e)}</li>`
      );
    })
    .join('\n');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>本地通知（${entries.length}）</title>
<style>body{font-family:system-ui,sans-serif;max-width:52rem;margin:1rem auto;padding:0 1rem;color:#222}
ul{list-style:none;padding:0}li{border-bottom:1px solid #ddd;padding:.75rem 0}.meta{color:#555;font-size:.85rem}
.ch{background:#eef;border-radius:3px;padding:0 .3rem}.title{font-weight:600;margin:.25rem 0}
.pair{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-start}
.wx{width:20rem;background:#fff;border:1px solid #e5e5e5;border-radius:8px;padding:.75rem 1rem;margin-top:.4rem;box-shadow:0 1px 2px #0001}
.wx-title{font-weight:600;margin-bottom:.5rem}.wx dl{display:grid;grid-template-columns:5em 1fr;gap:.3rem .5rem;margin:0;font-size:.9rem}
.wx dt{color:#595959}.wx dd{margin:0}.wx .more{display:block;border-top:1px solid #eee;margin-top:.6rem;padding-top:.4rem;color:#576b95;text-decoration:none;font-size:.9rem}
.sms{width:20rem;margin-top:.4rem}.bubble{background:#e9e9eb;border-radius:14px;padding:.6rem .8rem;font-size:.9rem;line-height:1.45}
.count{color:#595959;font-size:.8rem;margin:.25rem .5rem}</style></head>
<body><main><h1>本地通知</h1><p>本机发送的微信、短信通知与变更推送（写入 notices.jsonl），最新的在前，按手机上看到的样子显示：微信只显示模板的字段，短信含签名、字数与计费条数；联系方式已脱敏。</p>
${entries.length === 0 ? '<p>暂无通知。</p>' : `<ul>\n${rows}\n</ul>`}
<h2>每种通知的样例</h2>
<ul class="samples">
${renderSamples()}
</ul>
</main></body></html>`;
}
