import { CfnOutput, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { LOG_RETENTION } from '../constructs/waf-rules.ts';

export interface EgressNetworkProps {
  /** One NAT gateway, each on its own Elastic IP, per availability zone used (1-3). */
  natGateways: number;
}

/**
 * A fixed egress address for the functions that call WeChat (which accepts API calls only from
 * allow-listed server IPs): a VPC whose private subnets reach the internet through NAT gateways on
 * Elastic IPs this stack owns, so the addresses survive a redeploy of the functions. DynamoDB is
 * reached through a gateway endpoint, not the NAT. Flow logs are kept as long as the other logs.
 */
export class EgressNetwork extends Construct {
  readonly vpc: ec2.Vpc;
  readonly eips: ec2.CfnEIP[];
  readonly privateSubnets: ec2.SubnetSelection = { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };

  constructor(scope: Construct, id: string, props: EgressNetworkProps) {
    super(scope, id);
    this.eips = Array.from({ length: props.natGateways }, (_, i) => {
      const eip = new ec2.CfnEIP(this, `EgressIp${i + 1}`, {
        domain: 'vpc',
        tags: [{ key: 'Name', value: `yimei-credit-egress-${i + 1}` }],
      });
      // Re-creating an address would mean a new entry on WeChat's allow-list.
      eip.applyRemovalPolicy(RemovalPolicy.RETAIN);
      return eip;
    });
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: props.natGateways,
      natGateways: props.natGateways,
      natGatewayProvider: ec2.NatProvider.gateway({
        eipAllocationIds: this.eips.map((e) => e.attrAllocationId),
      }),
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'egress', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
      ],
      gatewayEndpoints: { DynamoDb: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB } },
    });
    const flowLogs = new logs.LogGroup(this, 'FlowLogs', {
      retention: LOG_RETENTION,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });

    this.eips.forEach((eip, i) => {
      new CfnOutput(this, `WechatEgressIp${i + 1}`, {
        description: 'Put this address on the WeChat Official Account IP allow-list (IP白名单)',
        value: eip.attrPublicIp,
      });
    });
  }
}
