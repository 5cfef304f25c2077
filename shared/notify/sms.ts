import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { ChannelSender, SendResult } from './delivery.ts';
import type { NoticeMessage } from './message.ts';
import { renderSms } from './sms-templates.ts';

/** A provider refused this number for good (invalid, opted out): retrying cannot help. */
export class SmsRejectedError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'SmsRejectedError';
  }
}

/**
 * Where an SMS goes out: SNS today; a domestic provider (Aliyun, Tencent Cloud) implements the same
 * interface. Throws SmsRejectedError for a permanent refusal, anything else for a transient failure.
 */
export interface SmsProvider {
  /**
   * `templateCode` and `params` are what a template gateway sends; `text` is the same template
   * rendered (signature included), which SNS sends as it is.
   */
  sendSms(req: SmsRequest): Promise<{ messageId: string }>;
}

export interface SmsRequest {
  phone: string;
  templateCode: string;
  params: Record<string, string>;
  text: string;
}

/** SNS Publish straight to a phone number, as a transactional message with a registered sender and template. */
export class SnsSmsProvider implements SmsProvider {
  constructor(
    private readonly sns: SNSClient,
    private readonly opts: { senderId?: string | undefined; templateId?: string | undefined },
  ) {}

  async sendSms({ phone, text }: SmsRequest): Promise<{ messageId: string }> {
    const attributes: Record<string, { DataType: string; StringValue: string }> = {
      'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
    };
    if (this.opts.senderId)
      attributes['AWS.SNS.SMS.SenderID'] = { DataType: 'String', StringValue: this.opts.senderId };
    if (this.opts.templateId)
      attributes['AWS.MM.SMS.TemplateId'] = { DataType: 'String', StringValue: this.opts.templateId };
    try {
      const out = await this.sns.send(
        new PublishCommand({ PhoneNumber: e164(phone), Message: text, MessageAttributes: attributes }),
      );
      return { messageId: out.MessageId ?? '' };
    } catch (err) {
      const name = (err as Error).name;
      if (name === 'InvalidParameterException' || name === 'InvalidParameterValueException') {
        throw new SmsRejectedError(`SMS refused: ${name}`);
      }
      throw err;
    }
  }
}

/** Mainland numbers are stored as 11 digits; SNS wants E.164. */
export function e164(phone: string): string {
  return phone.startsWith('+') ? phone : `+86${phone}`;
}

/** Sends a notice as an SMS through the configured provider. */
export class SmsSender implements ChannelSender {
  readonly channel = 'sms' as const;

  constructor(private readonly provider: SmsProvider) {}

  async send(message: NoticeMessage): Promise<SendResult> {
    try {
      const sms = renderSms(message.kind, message.params, message.uscc);
      const { messageId } = await this.provider.sendSms({ phone: message.to, ...sms });
      return { status: 'sent', providerId: messageId };
    } catch (err) {
      if (err instanceof SmsRejectedError) return { status: 'terminal', reason: err.reason };
      throw err;
    }
  }
}
