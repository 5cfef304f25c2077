import { withOperationIds } from './operation-ids.ts';

/**
 * What the served OpenAPI document states beyond what each route declares: an operationId on every
 * operation, `security: []` on the public ones, every tag declared, Chinese summaries for `/docs`, and
 * the answers any request can get from the layers in front of the routes (413, 415, 429, 431).
 */

export const TAGS = [
  {
    name: 'public',
    description: '公开查询：机构、等级、统计与二维码，无需认证。Public lookups; no account needed.',
  },
  {
    name: 'feeds',
    description:
      '公示与变更推送：公示列表、变更事件（JSON/Atom）与等级导出。Publicity, change feeds and exports.',
  },
  {
    name: 'institution',
    description:
      '机构自身的操作：主动升级申请、通知联系方式。What an institution does for itself (bearer token).',
  },
  {
    name: 'admin',
    description:
      '监管部门的操作：登记、评分、审定、公示、发布与抽查；行业协会记录其 1A–5A 评价。' +
      'Regulators, and the industry association for its 1A–5A rating (bearer token with a role).',
  },
] as const;

/** Chinese summaries, shown first on `/docs`; the English `summary` stays for generated clients. */
export const SUMMARY_ZH: Record<string, string> = {
  getV1Institutions: '查询与浏览机构（名称、拼音、首字母或统一社会信用代码）',
  getV1InstitutionsByUscc: '机构详情：当前等级、公示中的结果、历史与对应监管措施',
  getV1InstitutionsByUsccQrSvg: '机构公开页面的二维码（门牌用）',
  getV1Stats: '各区与全市的等级分布和覆盖率（对照 2026 年全覆盖目标）',
  getV1Changes: '变更事件，按发生顺序，可凭游标续读（JSON，或按 Accept 返回 Atom）',
  getV1ChangesAtom: '变更事件的 Atom 1.0 订阅源',
  getV1Publicity: '正在公示的全部评定结果及异议方式',
  getV1ObjectionsByReference: '凭异议编号查询处理进度（不含异议人信息和异议内容）',
  getV1ExportGradesCsv: '范围内全部机构的当前等级（CSV）',
  postV1AdminImports: '导入机构名册（.xlsx 或 .csv）：先校验全部行，有任何错误则不导入',
  postV1AdminInstitutions: '登记机构',
  getV1AdminInstitutionsByUscc: '机构详情（含仅监管部门可见的数据、结果与违规记录）',
  patchV1AdminInstitutionsByUscc: '修改机构名称、地址、别名、联系方式、高风险项目或异地标记',
  postV1AdminInstitutionsByUsccClose: '注销机构：保留在历史与查询中，标记为已关闭',
  postV1AdminInstitutionsByUsccViolations: '记录违规、事故或不良事件：A/B/C 级按严重程度即时降级',
  postV1AdminAssessments: '评分',
  getV1AdminAssessmentsById: '评定结果及其异议',
  postV1AdminAssessmentsByIdApprove: '区级审定诊所的评定结果',
  postV1AdminAssessmentsByIdRecheck: '市级复核诊所的评定结果',
  postV1AdminAssessmentsByIdWithdraw: '发布前撤回评定结果',
  postV1AdminAssessmentsByIdPublicity: '开始公示（5 个工作日）',
  postV1AdminAssessmentsByIdPublish: '确认并发布（公示期满且无未决异议）',
  postV1AdminObjectionsByIdResolve: '处理异议；异议成立则撤回结果',
  getV1AdminAssessmentsByIdObjections: '评定结果的异议（分页）',
  postV1AdminAssessmentsByIdObjectionsDismissal: '一次驳回评定结果的未决异议',
  postV1AdminUpgradeApplicationsByIdDecision: '处理主动升级申请',
  getV1AdminUpgradeApplicationsById: '主动升级申请详情',
  postV1AdminInspectionPlans: '按种子生成年度随机抽查计划',
  getV1AdminInspectionPlansByYear: '年度随机抽查计划',
  postV1AdminInspectionPlansByYearCheck: '按种子与名单重新抽取并核对计划',
  getV1AdminWatchList: '重点关注清单（开展高风险项目的 D 级机构）',
  getV1AdminCoverage: '各区覆盖率（已发布 ÷ 范围内）',
  getV1AdminCampaignsByYear: '年度集中分级工作：覆盖的机构与各区进度',
  getV1AdminCampaignsByYearInstitutions: '年度集中分级工作覆盖的机构及其所处环节（分页）',
  getV1AdminAudit: '机构的审计记录（全市操作用 CITY），按时间先后',
  postV1InstitutionsByUsccUpgradeApplications: '申请主动升级（B、C 级机构，每年一次）',
  postV1PublicityByResultIdObjections: '对公示中的结果提出异议（无需账号）',
  getV1AdminInstitutionsByUsccNotices: '机构的通知及其状态：已发送、最终失败（附原因）或待发送',
  putV1InstitutionsByUsccContacts: '设置接收通知的手机号与微信 openid（仅机构本人）',
  putV1AdminInstitutionsByUsccIndustryRating: '记录行业协会评价（1A–5A，非政府分级）',
  deleteV1AdminInstitutionsByUsccIndustryRating: '撤销行业协会评价',
  putV1AdminInstitutionsByUsccLicence: '录入或变更执业许可：登记号、核准科目、美容外科手术最高级别',
  putV1AdminInstitutionsByUsccLocation: '录入或变更机构位置（GCJ-02 坐标）',
  postV1AdminInstitutionsByUsccPhysicians: '登记主诊医师',
  deleteV1AdminInstitutionsByUsccPhysiciansByCertificateNo: '注销主诊医师登记',
  getV1PublicityChallenge: '提出异议前的工作量证明题目（本服务自行签发，不经第三方）',
  postV1AdminUpgradeApplicationsByIdUntrueFinding: '认定升级申请自评不实：自认定之日起 2 年内不得申请升级',
  postV1AdminInstitutionsByUsccReply: '提交机构对本机构等级的回应（机构自述，仅机构本人）',
  getV1AdminInstitutionsByUsccReply: '机构回应的审核状态',
  postV1AdminInstitutionsByUsccReplyDecision: '审核机构回应：同意发布或不予发布（负责评分的监管机构）',
};

const problemContent = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };

export const COMMON_RESPONSES = {
  PayloadTooLarge: {
    description: '请求体过大。Payload too large: the body exceeds the limit of the route (problem details).',
    content: problemContent,
  },
  UnsupportedMediaType: {
    description: '请求体类型不受支持。Unsupported media type: send `Content-Type: application/json`.',
    content: problemContent,
  },
  TooManyRequests: {
    description: '请求过于频繁。Too many requests; `Retry-After` says when to try again.',
    headers: { 'Retry-After': { description: 'seconds to wait', schema: { type: 'integer' } } },
    content: problemContent,
  },
  HeaderFieldsTooLarge: {
    description: '请求头过大。Request header fields too large (problem details).',
    content: problemContent,
  },
} as const;

type Operation = {
  operationId?: string;
  summary?: string;
  security?: unknown[];
  requestBody?: unknown;
  responses?: Record<string, unknown>;
  'x-summary-zh'?: string;
};

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'patch']);
/** Operations that count requests per client and answer 429 past the limit. */
const RATE_LIMITED = new Set(['postV1PublicityByResultIdObjections']);

export function withDocumentConventions<T extends { paths?: object; components?: object }>(input: T): T {
  const doc = withOperationIds(input) as T & { tags?: unknown; components?: Record<string, unknown> };
  const components = (doc.components ?? {}) as Record<string, Record<string, unknown>>;
  components.responses = { ...(components.responses ?? {}), ...COMMON_RESPONSES };
  doc.components = components;
  for (const item of Object.values((doc.paths ?? {}) as Record<string, Record<string, Operation>>)) {
    for (const [method, op] of Object.entries(item)) {
      if (!HTTP_METHODS.has(method)) continue;
      op.security ??= [];
      const zh = op.operationId ? SUMMARY_ZH[op.operationId] : undefined;
      if (zh) op['x-summary-zh'] = zh;
      const responses = op.responses ?? {};
      op.responses = responses;
      const add = (status: string, name: keyof typeof COMMON_RESPONSES) => {
        responses[status] ??= { $ref: `#/components/responses/${name}` };
      };
      if (op.requestBody) {
        add('413', 'PayloadTooLarge');
        add('415', 'UnsupportedMediaType');
      }
      if (op.operationId && RATE_LIMITED.has(op.operationId)) add('429', 'TooManyRequests');
      add('431', 'HeaderFieldsTooLarge');
    }
  }
  // Only the shared answers some operation refers to (a route may declare its own instead).
  const referenced = JSON.stringify(doc.paths ?? {});
  for (const name of Object.keys(COMMON_RESPONSES)) {
    if (!referenced.includes(`#/components/responses/${name}"`)) delete components.responses[name];
  }
  // Declared: each tag an operation uses (the public app's document names only its own).
  const used = new Set(
    Object.values((doc.paths ?? {}) as Record<string, Record<string, { tags?: string[] }>>).flatMap((item) =>
      Object.values(item).flatMap((op) => op.tags ?? []),
    ),
  );
  doc.tags = TAGS.filter((t) => used.has(t.name)).map((t) => ({ ...t }));
  return doc;
}
