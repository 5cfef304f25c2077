/**
 * Evaluates the WAF statements the web ACL uses (as they appear in the template) on a described
 * request, so tests assert what a rule does to a request rather than how it is spelt.
 */
export interface WafRequest {
  path: string;
  headers?: Record<string, string>;
  /** Body length in bytes. */
  bodyBytes?: number;
  /** Labels added by earlier rules. */
  labels?: string[];
}

/** How much of a body WAF reads (CloudFront and API Gateway default). */
const INSPECTED_BYTES = 16 * 1024;

type Json = Record<string, unknown>;

function fieldValue(field: Json, req: WafRequest): string | undefined {
  if ('UriPath' in field) return req.path;
  const header = field.SingleHeader as { Name: string } | undefined;
  if (header) return req.headers?.[header.Name.toLowerCase()];
  throw new Error(`field not modelled: ${JSON.stringify(field)}`);
}

export function matches(statement: Json, req: WafRequest): boolean {
  const [[kind, body]] = Object.entries(statement) as [[string, Json]];
  switch (kind) {
    case 'AndStatement':
      return (body.Statements as Json[]).every((s) => matches(s, req));
    case 'OrStatement':
      return (body.Statements as Json[]).some((s) => matches(s, req));
    case 'NotStatement':
      return !matches(body.Statement as Json, req);
    case 'LabelMatchStatement':
      return (req.labels ?? []).includes(body.Key as string);
    case 'ByteMatchStatement': {
      const value = fieldValue(body.FieldToMatch as Json, req);
      if (value === undefined) return false;
      const search = body.SearchString as string;
      if (body.PositionalConstraint === 'EXACTLY') return value === search;
      if (body.PositionalConstraint === 'STARTS_WITH') return value.startsWith(search);
      throw new Error(`constraint not modelled: ${String(body.PositionalConstraint)}`);
    }
    case 'RegexMatchStatement': {
      const value = fieldValue(body.FieldToMatch as Json, req);
      return value !== undefined && new RegExp(body.RegexString as string).test(value);
    }
    case 'SizeConstraintStatement': {
      const field = body.FieldToMatch as { Body?: { OversizeHandling?: string } };
      if (!field.Body) throw new Error('only body sizes are modelled');
      const size = req.bodyBytes ?? 0;
      if (size > INSPECTED_BYTES) {
        if (field.Body.OversizeHandling === 'MATCH') return true;
        if (field.Body.OversizeHandling === 'NO_MATCH') return false;
      }
      const seen = Math.min(size, INSPECTED_BYTES);
      if (body.ComparisonOperator !== 'GT') throw new Error('only GT is modelled');
      return seen > (body.Size as number);
    }
    default:
      throw new Error(`statement not modelled: ${kind}`);
  }
}
