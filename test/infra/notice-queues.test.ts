import { beforeAll, describe, expect, it } from 'vitest';
import {
  CHINA_CONTEXT,
  envOf,
  profileTemplates,
  resourcesOf,
  roleIdOf,
  serviceFunction,
  statementsOfRole,
  type Template,
} from '#test/support/infra.ts';

/** Each notice queue (it has a redrive policy) with its dead-letter queue, by logical id. */
function noticeQueues(template: Template) {
  return resourcesOf(template, 'AWS::SQS::Queue').flatMap(([id, q]) => {
    const redrive = q.Properties.RedrivePolicy as
      | { deadLetterTargetArn: { 'Fn::GetAtt': [string] } }
      | undefined;
    return redrive ? [{ queue: id, deadLetters: redrive.deadLetterTargetArn['Fn::GetAtt'][0] }] : [];
  });
}

const arnOf = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });

describe.each([
  ['global', {}],
  ['China', CHINA_CONTEXT],
])('the dead-letter move in the %s profile', (_profile, context) => {
  let stateless: Template;
  beforeAll(() => {
    ({ stateless } = profileTemplates(context));
  });

  it('gives the jobs function each channel’s dead-letter queue and notice queue', () => {
    const queues = noticeQueues(stateless);
    expect(queues).toHaveLength(2);
    const env = envOf(serviceFunction(stateless, 'jobs')[1]);
    const byUrl = (id: string) => ({ Ref: id });
    expect(
      [env.WECHAT_DEAD_LETTER_QUEUE_URL, env.SMS_DEAD_LETTER_QUEUE_URL].sort((a, b) =>
        JSON.stringify(a).localeCompare(JSON.stringify(b)),
      ),
    ).toEqual(queues.map((q) => byUrl(q.deadLetters)).sort((a, b) => a.Ref.localeCompare(b.Ref)));
    for (const channel of ['WECHAT', 'SMS']) {
      const pair = queues.find(
        (q) => byUrl(q.deadLetters).Ref === (env[`${channel}_DEAD_LETTER_QUEUE_URL`] as { Ref: string }).Ref,
      );
      expect(env[`${channel}_NOTICE_QUEUE_URL`]).toEqual(byUrl(String(pair?.queue)));
    }
  });

  it('lets the jobs role receive and delete on the dead-letter queues and send to the notice queues, nothing more', () => {
    const role = roleIdOf(serviceFunction(stateless, 'jobs')[1]);
    const queues = noticeQueues(stateless);
    const noticeIds = queues.flatMap((q) => [q.queue, q.deadLetters]);
    // Every (action, resource) pair the role holds on the notice queues, however CDK merged the
    // statements (its failed runs go to the schedules' own dead-letter queue, not checked here).
    const granted = statementsOfRole(stateless, role).flatMap((s) =>
      [s.Action].flat().flatMap((a) =>
        [s.Resource]
          .flat()
          .filter((r) => noticeIds.some((id) => JSON.stringify(r).includes(`"${id}"`)))
          .map((r) => `${s.Effect} ${a} ${JSON.stringify(r)}`),
      ),
    );
    const expected = queues.flatMap((q) => [
      `Allow sqs:ReceiveMessage ${JSON.stringify(arnOf(q.deadLetters))}`,
      `Allow sqs:DeleteMessage ${JSON.stringify(arnOf(q.deadLetters))}`,
      `Allow sqs:SendMessage ${JSON.stringify(arnOf(q.queue))}`,
    ]);
    expect(granted.sort()).toEqual(expected.sort());
  });

  it('gives no other function any hold on the dead-letter queues', () => {
    const deadLetters = noticeQueues(stateless).map((q) => q.deadLetters);
    const jobsRole = roleIdOf(serviceFunction(stateless, 'jobs')[1]);
    const holders = resourcesOf(stateless, 'AWS::IAM::Policy')
      .filter(([, p]) => !JSON.stringify(p.Properties.Roles).includes(`"${jobsRole}"`))
      .flatMap(
        ([, p]) =>
          (p.Properties.PolicyDocument as { Statement: { Action: unknown; Resource: unknown }[] }).Statement,
      )
      .filter((s) => deadLetters.some((id) => JSON.stringify(s.Resource).includes(`"${id}"`)));
    expect(holders).toEqual([]);
  });
});
