import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileSinkSender, readSink } from '#shared/notify/local-sink.ts';
import { wechatReminder } from '../../support/notice-messages.ts';

const message = wechatReminder();

describe('local notice sink', () => {
  it('shows a WeChat notice as its displayed fields only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sink-'));
    await new FileSinkSender('wechat', dir, () => new Date('2027-01-03T01:00:00Z')).send(message);
    const [entry] = await readSink(dir);
    expect(entry?.text).toBe(
      [
        '事项：量化分级复评7天后到期',
        '机构名称：悦颜医疗美容诊所',
        '时间：2027年1月10日 23:59',
        '状态：即将逾期',
        '办理要求：请立即申请复评，逾期将公开标注',
      ].join('\n'),
    );
    expect(entry?.fields?.map((f) => f.label)).toEqual(['事项', '机构名称', '时间', '状态', '办理要求']);
    expect(entry?.fields?.[2]?.value).toBe('2027年1月10日 23:59');
  });

  it('shows an SMS as the signed rendered template', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sink-'));
    await new FileSinkSender('sms', dir).send({ ...message, channel: 'sms', to: '13912345678' });
    const [entry] = await readSink(dir);
    expect(entry?.text).toBe(
      '【杭州卫健医美信用】悦颜医疗美容诊所：您的量化分级动态复评将于2027-01-10到期（还有7天），逾期将在公开查询页面标注为逾期未复评。',
    );
    expect(entry).toMatchObject({
      templateCode: 'YM_REVIEW_DUE_7',
      params: { name: '悦颜医疗美容诊所', due: '2027-01-10' },
      chars: 69,
      segments: 1,
    });
  });
});
