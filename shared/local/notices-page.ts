import { Hono } from 'hono';
import { readSink, type SinkLine } from '../notify/local-sink.ts';

const CHANNEL_LABEL: Record<string, string> = { wechat: '微信', sms: '短信', feed: '变更推送' };

function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The local notice sink as a page, newest first (mounted by the local server only, at `/dev`). */
export function devNoticesRoutes(dataDir: string) {
  const app = new Hono();
  app.get('/notices', async (c) => {
    const entries = await readSink(dataDir);
    c.header('Cache-Control', 'no-store');
    return c.html(renderNotices(entries));
  });
  return app;
}

export function renderNotices(entries: readonly SinkLine[]): string {
  const rows = entries
    .map((e) => {
      const channel = e.channel ?? '';
      const meta = [e.at, e.uscc, e.kind, e.cycle, e.to ? `发往 ${e.to}` : null].filter((m) => m);
      return (
        `<li><div class="meta"><span class="ch">${escapeHtml(CHANNEL_LABEL[channel] ?? channel)}</span> ` +
        `${meta.map(escapeHtml).join(' · ')}</div>` +
        `<div class="title">${escapeHtml(e.title ?? e.kind)}</div><div class="text">${escapeHtml(e.text)}</div></li>`
      );
    })
    .join('\n');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>本地通知（${entries.length}）</title>
<style>body{font-family:system-ui,sans-serif;max-width:48rem;margin:1rem auto;padding:0 1rem;color:#222}
ul{list-style:none;padding:0}li{border-bottom:1px solid #ddd;padding:.75rem 0}.meta{color:#666;font-size:.85rem}
.ch{background:#eef;border-radius:3px;padding:0 .3rem}.title{font-weight:600;margin:.25rem 0}</style></head>
<body><h1>本地通知</h1><p>本机发送的微信、短信通知与变更推送（写入 notices.jsonl），最新的在前；联系方式已脱敏。</p>
${entries.length === 0 ? '<p>暂无通知。</p>' : `<ul>\n${rows}\n</ul>`}
</body></html>`;
}
