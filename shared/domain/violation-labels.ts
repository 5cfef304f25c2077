import type { Severity, ViolationType } from './types.ts';

/** How the public pages name a violation's type (DOMAIN.md "Dynamic management": 违法违规、医疗事故、不良社会事件). */
export const VIOLATION_TYPE_LABELS: Record<ViolationType, string> = {
  violation: '违法违规',
  accident: '医疗事故',
  adverse_event: '不良社会事件',
};

export const SEVERITY_LABELS: Record<Severity, string> = {
  minor: '轻微',
  general: '一般',
  serious: '较重',
  severe: '严重',
};
