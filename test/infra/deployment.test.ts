import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { allowStatements, Template, testDeployment } from '#test/support/infra.ts';

/** cdk-nag with acknowledgements ignored: every finding the rules raise. */
function rawFindings(scope: Parameters<AwsSolutionsChecks['validateScope']>[0]) {
  const pack = new AwsSolutionsChecks();
  Object.assign(pack, { isAcknowledged: () => false });
  return pack
    .validateScope(scope)
    .violations.flatMap((v) =>
      v.violatingResources.map((r) => ({ rule: v.ruleName, path: r.constructPath ?? '' })),
    );
}

function acknowledgements(scope: ReturnType<typeof testDeployment>['app']) {
  return scope.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) =>
        Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({
          rule: id.replace(/^annotation::/i, ''),
          path: c.node.path,
          reason,
        })),
      ),
  );
}

describe('the deployment', () => {
  it.each([
    ['on the CloudFront domain', {}],
    ['with a custom domain', { domainName: 'credit.example.cn', alarmEmail: 'ops@example.cn' }],
  ])('has no cdk-nag AwsSolutions finding that is not acknowledged, %s', (_, context) => {
    const { app } = testDeployment({ context });
    app.synth();
    const report = new AwsSolutionsChecks().validateScope(app);
    const open = report.violations.map(
      (v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath)}`,
    );
    expect(open).toEqual([]);
  });

  it('acknowledges only findings that exist, each with a written reason', () => {
    const { app } = testDeployment();
    app.synth();
    const findings = rawFindings(app);
    const acks = acknowledgements(app);
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      const matched = findings.some(
        (f) => f.rule === ack.rule && (f.path === ack.path || f.path.startsWith(`${ack.path}/`)),
      );
      expect(matched, `${ack.rule} at ${ack.path} acknowledges nothing`).toBe(true);
      expect(ack.reason.length, `${ack.rule} at ${ack.path}`).toBeGreaterThanOrEqual(30);
    }
  });

  it('lets no role in any stack Scan the table or use dynamodb:*', () => {
    const { edge, stateful, stateless } = testDeployment();
    const actions = [edge, stateful, stateless].flatMap((stack) =>
      allowStatements(Template.fromStack(stack)).flatMap((s) => s.Action),
    );
    expect(actions.length).toBeGreaterThan(0);
    expect(
      actions.filter((a) => /^(dynamodb:\*|dynamodb:Scan|\*)$/i.test(a) || /^dynamodb:.*\*/.test(a)),
    ).toEqual([]);
  });
});
