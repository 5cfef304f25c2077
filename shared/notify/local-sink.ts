import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { shanghaiIso } from '../domain/dates.ts';
import type { ChannelSender, SendResult } from './delivery.ts';
import { maskAddress } from './mask.ts';
import type { Channel, NoticeMessage } from './message.ts';
import { renderSms, smsSegments } from './sms-templates.ts';
import { renderNotice } from './templates.ts';
import { WECHAT_TEMPLATE_FIELDS, wechatFields } from './wechat-fields.ts';

/** One line of `DATA_DIR/notices.jsonl`: the full text for a person to read, the address masked. */
export interface SinkEntry {
  at: string;
  channel: Channel;
  to: string;
  uscc: string;
  kind: string;
  cycle: string;
  title: string;
  text: string;
  /** WeChat: the card's displayed fields, in order (label and value), as the phone shows them. */
  fields?: Array<{ label: string; value: string }>;
  /** SMS: the template code and its variables, as a domestic gateway receives them. */
  templateCode?: string;
  params?: Record<string, string>;
  /** SMS: characters of the signed text, and billed segments (70 characters each). */
  chars?: number;
  segments?: number;
}

/**
 * A line as read back: the change-feed relay writes its pushes to the same file (`channel: "feed"`,
 * no address, title or cycle), so readers take every field as possibly absent.
 */
export type SinkLine = Partial<Omit<SinkEntry, 'channel'>> & { channel?: string };

export const NOTICES_FILE = 'notices.jsonl';

/**
 * The local stand-in for WeChat and SMS: each "sent" notice is appended as one JSON line. It sits
 * behind the same claim and template path as the real senders, so what appears here is exactly what
 * would have been sent.
 */
export class FileSinkSender implements ChannelSender {
  constructor(
    readonly channel: Channel,
    private readonly dataDir: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async send(message: NoticeMessage): Promise<SendResult> {
    const { title } = renderNotice(message.kind, message.params);
    const head = {
      at: shanghaiIso(this.now()),
      channel: message.channel,
      to: maskAddress(message.channel, message.to),
      uscc: message.uscc,
      kind: message.kind,
      cycle: message.cycle,
      title,
    };
    let entry: SinkEntry;
    if (message.channel === 'sms') {
      const sms = renderSms(message.kind, message.params, message.uscc);
      const chars = Array.from(sms.text).length;
      entry = {
        ...head,
        text: sms.text,
        templateCode: sms.templateCode,
        params: sms.params,
        chars,
        segments: smsSegments(sms.text),
      };
    } else {
      const fields = wechatCardFields(message);
      entry = {
        ...head,
        text: fields.map((f) => `${f.label}：${f.value}`).join('\n'),
        fields,
      };
    }
    await appendFile(join(this.dataDir, NOTICES_FILE), `${JSON.stringify(entry)}\n`, 'utf8');
    return { status: 'sent' };
  }
}

/** The sink's entries, newest first; an absent file is an empty list. */
export async function readSink(dataDir: string): Promise<SinkLine[]> {
  let text: string;
  try {
    text = await readFile(join(dataDir, NOTICES_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const entries: SinkLine[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const parsed: unknown = JSON.parse(line);
      if (parsed && typeof parsed === 'object') entries.push(parsed as SinkLine);
    } catch {
      // A line cut short by a crash is skipped rather than hiding every other notice.
    }
  }
  return entries.reverse();
}

/** A WeChat notice as the phone shows it: the template's displayed fields only, in order. */
export function wechatCardFields(
  message: Pick<NoticeMessage, 'kind' | 'params' | 'on' | 'uscc'>,
): Array<{ label: string; value: string }> {
  const data = wechatFields(message);
  return WECHAT_TEMPLATE_FIELDS.map((f) => ({ label: f.label, value: data[f.key].value }));
}

/** The same card as text, one field a line. */
export function wechatCard(message: Pick<NoticeMessage, 'kind' | 'params' | 'on' | 'uscc'>): string {
  return wechatCardFields(message)
    .map((f) => `${f.label}：${f.value}`)
    .join('\n');
}
