/** Network exposure: security groups opened to the Internet, serial console access. */
import type { Detection, EventPattern, PatternLeaf } from '../types';
import { SUCCEEDED, apiCall, succeeded } from './shared';

/** Any CIDR block of length 0 is the whole address space: 0.0.0.0/0, ::/0 (and odd spellings of them). */
const WHOLE_INTERNET: readonly PatternLeaf[] = [{ suffix: '/0' }];

const INGRESS = ['AuthorizeSecurityGroupIngress'];

function modifiedRule(cidrField: 'CidrIpv4' | 'CidrIpv6'): EventPattern {
  return {
    eventName: ['ModifySecurityGroupRules'],
    requestParameters: {
      ModifySecurityGroupRulesRequest: {
        SecurityGroupRule: { SecurityGroupRule: { [cidrField]: WHOLE_INTERNET } },
      },
    },
  };
}

export const NETWORK_DETECTIONS: readonly Detection[] = [
  {
    id: 'security-group-opened-to-world',
    title: 'Security group opened to the whole Internet',
    severity: 'high',
    source: 'cloudtrail',
    defaultResponse: 'revert',
    rationale:
      'An ingress rule from 0.0.0.0/0 or ::/0 exposes every instance in the group (SSH, RDP, databases) ' +
      'to the Internet: attackers open one to reach a foothold or to exfiltrate. Removing exactly the rule ' +
      'that was added is safe and quick, so Cordon revokes it and reports it. Matched in every shape ' +
      'CloudTrail records it: the legacy top-level cidrIp, ipPermissions (IPv4 and IPv6 ranges), the ' +
      'securityGroupRuleSet in the response, and ModifySecurityGroupRules (whose request does not say ' +
      'whether the rule is ingress or egress; the revert action checks).',
    mitre: 'T1562.007',
    pattern: () =>
      apiCall('ec2', {
        ...SUCCEEDED,
        $or: [
          { eventName: INGRESS, requestParameters: { cidrIp: WHOLE_INTERNET } },
          {
            eventName: INGRESS,
            requestParameters: {
              ipPermissions: { items: { ipRanges: { items: { cidrIp: WHOLE_INTERNET } } } },
            },
          },
          {
            eventName: INGRESS,
            requestParameters: {
              ipPermissions: { items: { ipv6Ranges: { items: { cidrIpv6: WHOLE_INTERNET } } } },
            },
          },
          {
            eventName: INGRESS,
            responseElements: {
              securityGroupRuleSet: { items: { isEgress: [false], cidrIpv4: WHOLE_INTERNET } },
            },
          },
          {
            eventName: INGRESS,
            responseElements: {
              securityGroupRuleSet: { items: { isEgress: [false], cidrIpv6: WHOLE_INTERNET } },
            },
          },
          modifiedRule('CidrIpv4'),
          modifiedRule('CidrIpv6'),
        ],
      }),
  },
  {
    id: 'ec2-serial-console-access-enabled',
    title: 'EC2 serial console access enabled',
    severity: 'medium',
    source: 'cloudtrail',
    defaultResponse: 'notify',
    rationale:
      'The serial console reaches an instance without its network, security groups or SSH keys (with ' +
      'SendSerialConsoleSSHPublicKey): a way in that network controls do not see. It is off by default and ' +
      'needed only to repair broken instances, so enabling it is reported.',
    mitre: 'T1021.008',
    pattern: () => apiCall('ec2', succeeded(['EnableSerialConsoleAccess'])),
  },
];
