/**
 * The synchronous Lambda payload limit, and the largest upload it admits. API Gateway (the global HTTP
 * API and the China REST API alike) hands a binary body to the function base64-encoded inside the JSON
 * event, so a file of n bytes arrives as 4·⌈n/3⌉ bytes plus the event around it; past the limit Lambda
 * refuses the invocation and the caller gets a gateway error instead of a problem naming the limit.
 */

/** Request and response payload of a synchronous invocation: "6 MB", read as decimal to stay below either reading. */
export const LAMBDA_SYNC_PAYLOAD_BYTES = 6_000_000;

/**
 * The event around the body: headers (a bearer token of a few KB, cookies, forwarding headers), the
 * request context with the authorizer's claims. Measured events are a few KB; this keeps 256 KiB.
 */
export const EVENT_OVERHEAD_BYTES = 256 * 1024;

const MIB = 1024 * 1024;

/** Bytes of the base64 text of n bytes (with padding). */
export function base64Length(bytes: number): number {
  return 4 * Math.ceil(bytes / 3);
}

/** The largest body whose base64 text plus the event overhead fits in the payload limit. */
export function largestBase64Body(payloadBytes: number, overheadBytes: number): number {
  return Math.floor((payloadBytes - overheadBytes) / 4) * 3;
}

/**
 * The documented file limit of imports: the largest base64-safe body, rounded down to whole MiB
 * (4 MiB: 5,592,408 bytes of base64). IMPORT_LIMITS.fileBytes and the HTTP body limit of the import
 * route both read this one value; the WAF's body-size rule for the route reads IMPORT_LIMITS.fileBytes.
 */
export const IMPORT_FILE_BYTES =
  Math.floor(largestBase64Body(LAMBDA_SYNC_PAYLOAD_BYTES, EVENT_OVERHEAD_BYTES) / MIB) * MIB;
