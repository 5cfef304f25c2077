import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { ChannelSender, SendResult } from './delivery.ts';
import type { NoticeMessage } from './message.ts';
import { renderSms, renderSmsText, SMS_TEMPLATES, type SmsTemplateSet } from './sms-templates.ts';

/** A provider refused this number for good (invalid, opted out): retrying cannot help. */
export class SmsRejectedError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'SmsRejectedError';
  }
}

/**
 * One SMS as template gateways take it: the registered template's code and its named variables (each
 * already fitted to its maximum length). A domestic gateway (Aliyun, Tencent Cloud) passes them as
 * template parameters under the registered signature; SNS renders them into text.
 */
export interface SmsRequest {
  /** 11-digit mainland mobile (or E.164). */
  phone: string;
  templateCode: string;
  params: Record<string, string>;
}

/**
 * Where an SMS goes out: SNS (global profile) or a domestic gateway, chosen by setting. Throws
 * SmsRejectedError for a permanent refusal, anything else for a transient failure.
 */
export interface SmsProvider {
  send(req: SmsRequest): Promise<{ messageId: string }>;
}

/**
 * SNS Publish straight to a phone number, as a transactional message with a registered sender and
 * template: SNS takes text, so the template code and variables are rendered here, signature in front.
 */
export class SnsSmsProvider implements SmsProvider {
  private readonly templates: SmsTemplateSet;

  constructor(
    private readonly sns: SNSClient,
    private readonly opts: {
      senderId?: string | undefined;
      templateId?: string | undefined;
      templates?: SmsTemplateSet;
    },
  ) {
    this.templates = opts.templates ?? SMS_TEMPLATES;
  }

  async send({ phone, templateCode, params }: SmsRequest): Promise<{ messageId: string }> {
    const text = renderSmsText(this.templates, templateCode, params);
    if (text === null) throw new SmsRejectedError(`SMS refused: unknown template code ${templateCode}`);
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

  constructor(
    private readonly provider: SmsProvider,
    private readonly templates: SmsTemplateSet = SMS_TEMPLATES,
  ) {}

  async send(message: NoticeMessage): Promise<SendResult> {
    try {
      const { templateCode, params } = renderSms(message.kind, message.params, message.uscc, this.templates);
      const { messageId } = await this.provider.send({ phone: message.to, templateCode, params });
      return { status: 'sent', providerId: messageId };
    } catch (err) {
      if (err instanceof SmsRejectedError) return { status: 'terminal', reason: err.reason };
      throw err;
    }
  }
}
