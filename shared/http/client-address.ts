/**
 * The caller's address: the first hop of X-Forwarded-For (CloudFront puts the viewer first), else the
 * source address API Gateway saw. Only its keyed hash is ever stored (http/keys.ts clientKey).
 */
// biome-ignore lint/suspicious/noExplicitAny: the Lambda event shape differs between API Gateway versions
export function clientAddress(c: { req: { header(name: string): string | undefined }; env?: any }): string {
  const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
  if (forwarded) return forwarded;
  const ctx = c.env?.event?.requestContext;
  return ctx?.identity?.sourceIp ?? ctx?.http?.sourceIp ?? 'unknown';
}
