/** The content types an import is sent with; the China REST API lists them as binary (base64 to Lambda). */
export const IMPORT_MEDIA_TYPES = {
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;
