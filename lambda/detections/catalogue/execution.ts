/**
 * The attacker's next moves on the account's compute: commands and shells on instances through Systems
 * Manager, SSH keys pushed through EC2 Instance Connect and the serial console, an instance's user data
 * rewritten, a function's code or layers replaced. Each runs the attacker's code inside the account, where
 * it reaches the instance's or the function's role and the network behind it. None can be undone by
 * Cordon (a command has run, a key has been used), so all of them notify.
 */
import type { Detection, EventPattern, PatternLeaf } from '../types';
import { SUCCEEDED, apiCall, at, succeeded, text } from './shared';

/**
 * The call was made by the caller, not by an AWS service on its behalf: a maintenance window's Run
 * Command task, CloudFormation deploying a stack. Those record the service's host name (ssm.amazonaws.com,
 * cloudformation.amazonaws.com) as the source address; a caller's own call records its IP address.
 */
const NOT_BY_AN_AWS_SERVICE: readonly PatternLeaf[] = [{ 'anything-but': { suffix: '.amazonaws.com' } }];

/**
 * AWS-owned Run Command documents that run only AWS's own maintenance code, whatever the parameters:
 * patching, agent updates, inventory. Every other document runs what the caller chooses
 * (AWS-RunShellScript, AWS-RunPowerShellScript, AWS-RunRemoteScript, a document of the caller's own, and
 * AWS-RunPatchBaselineWithHooks or AWS-ConfigureAWSPackage, whose hooks and packages can be the caller's).
 */
export const ROUTINE_RUN_COMMAND_DOCUMENTS: readonly string[] = [
  'AWS-RunPatchBaseline',
  'AWS-RunPatchBaselineAssociation',
  'AWS-UpdateSSMAgent',
  'AWS-UpdateEC2Config',
  'AWS-GatherSoftwareInventory',
  'AWS-RefreshAssociation',
  'AWS-FindWindowsUpdates',
];

/** Both shapes of a user-data change: the UserData parameter, or Attribute=userData with a Value. */
const USER_DATA_CHANGED: readonly EventPattern[] = [
  { requestParameters: { userData: [{ exists: true }] } },
  { requestParameters: { attribute: ['userData'] } },
];

/** The role path and name prefix IAM Identity Center gives the roles of its permission sets. */
const IDENTITY_CENTER_ROLE_PATH = ':role/aws-reserved/sso.amazonaws.com/';
const IDENTITY_CENTER_ROLE_PREFIX = 'AWSReservedSSO_';

/**
 * Whether the call was made by a person or a long-term key rather than by a workload's role: an IAM user
 * (an access key or the console), a federation token of one, root, or a person's IAM Identity Center
 * session. A session of any other role is taken for a deployment pipeline.
 */
export function madeByPersonOrLongTermKey(event: unknown): boolean {
  const identity = at(event, 'detail', 'userIdentity');
  const type = text(at(identity, 'type'));
  if (type === 'IAMUser' || type === 'FederatedUser' || type === 'Root') return true;
  if (type !== 'AssumedRole') return false;
  const issuer = at(identity, 'sessionContext', 'sessionIssuer');
  const roleName = text(at(issuer, 'userName')) ?? '';
  const roleArn = text(at(issuer, 'arn')) ?? '';
  return roleName.startsWith(IDENTITY_CENTER_ROLE_PREFIX) || roleArn.includes(IDENTITY_CENTER_ROLE_PATH);
}

const NO_UNDO =
  'Cordon reports it: what ran cannot be taken back, and the same call is everyday administration for ' +
  'some teams, so cutting the caller off on it alone would lock out the people doing their job.';

export const EXECUTION_DETECTIONS: readonly Detection[] = [
  {
    id: 'ssm-command-sent-to-instances',
    title: 'Command sent to instances through SSM Run Command',
    severity: 'high',
    source: 'cloudtrail',
    defaultResponse: 'notify',
    rationale:
      'SendCommand runs a script as root or SYSTEM on every instance it names, with no SSH key and no ' +
      'open port: the quickest way from a stolen key to the instances, their roles and the data on them. ' +
      "The documents that run only AWS's own maintenance code (patching, agent updates, inventory: " +
      ROUTINE_RUN_COMMAND_DOCUMENTS.join(', ') +
      ') are left out, and so are the commands a maintenance window sends for its tasks (recorded from ' +
      'ssm.amazonaws.com), which an administrator set up beforehand; every other document, shared and ' +
      'custom ones included, runs what the caller chose. ' +
      NO_UNDO,
    mitre: 'T1651',
    pattern: () =>
      apiCall(
        'ssm',
        succeeded(['SendCommand'], {
          sourceIPAddress: NOT_BY_AN_AWS_SERVICE,
          requestParameters: { documentName: [{ 'anything-but': [...ROUTINE_RUN_COMMAND_DOCUMENTS] }] },
        }),
      ),
  },
  {
    id: 'ssm-session-started-on-instance',
    title: 'Interactive shell opened on an instance through Session Manager',
    severity: 'low',
    source: 'cloudtrail',
    defaultResponse: 'notify',
    rationale:
      'StartSession opens a shell (or a port forward to the hosts behind the instance) through the SSM ' +
      'agent, without SSH keys or an open port; an attacker with a stolen key uses it to work on the ' +
      'instance by hand. It is also how many teams reach their instances every day, so it is rated low ' +
      'and reported; a team for whom it is routine can switch the detection off (detections.<id>.enabled). ' +
      NO_UNDO,
    mitre: 'T1021.008',
    pattern: () => apiCall('ssm', succeeded(['StartSession'])),
  },
  {
    id: 'ec2-ssh-key-pushed-to-instance',
    title: 'SSH key pushed to an instance through EC2 Instance Connect',
    severity: 'medium',
    source: 'cloudtrail',
    defaultResponse: 'notify',
    rationale:
      "SendSSHPublicKey puts a key of the caller's choice on an instance for 60 seconds, long enough to " +
      'log in and leave a permanent one; SendSerialConsoleSSHPublicKey does the same for the serial ' +
      'console, which reaches the instance without its network or security groups. Refused calls are left ' +
      'out: no key was placed. Browser-based Instance Connect from the console makes the same call for ' +
      'a person at work, hence a report rather than containment. ' +
      NO_UNDO,
    mitre: 'T1021.008',
    pattern: () =>
      apiCall('ec2-instance-connect', succeeded(['SendSSHPublicKey', 'SendSerialConsoleSSHPublicKey'])),
  },
  {
    id: 'ec2-instance-user-data-modified',
    title: 'EC2 instance user data replaced',
    severity: 'high',
    source: 'cloudtrail',
    defaultResponse: 'notify',
    rationale:
      "An instance's user data is the script or cloud-config that cloud-init (or EC2Launch) reads at " +
      "start: rewritten on a stopped instance, it runs the attacker's code as root with the instance's " +
      'role when the instance starts again, and at every boot if it asks to (boothooks, per-boot modules). ' +
      'Instances are normally built from images and launch templates, so changing the user data of an ' +
      'existing one is rare. CloudTrail hides the script (<sensitiveDataRemoved>); the report names the ' +
      'instance to inspect. Matched in both request shapes (the userData parameter, and attribute userData ' +
      'with a value); refused calls (a running instance) are left out. Cordon does not know the script it ' +
      'replaced, so it cannot put it back; it reports.',
    mitre: 'T1037',
    pattern: () =>
      apiCall('ec2', {
        ...succeeded(['ModifyInstanceAttribute']),
        $or: [...USER_DATA_CHANGED],
      }),
  },
  {
    id: 'lambda-function-code-replaced',
    title: 'Lambda function code or layers replaced by a person or user key',
    severity: 'medium',
    source: 'cloudtrail',
    defaultResponse: 'notify',
    rationale:
      'New code (UpdateFunctionCode) or a new layer (UpdateFunctionConfiguration with layers, where an ' +
      "extension can read every request) runs with the function's role on every invocation and sees the " +
      'data it handles: persistence that looks like a deployment. Deployments are what pipelines do all ' +
      'day, so only changes made outside one are reported: by an IAM user (an access key or the console), ' +
      "a federation token, root, or a person's IAM Identity Center session, and not through CloudFormation " +
      '(recorded from cloudformation.amazonaws.com). A stolen role session that changes a function is not ' +
      'seen here; the sweep of an incident holds every function the attacker changed. ' +
      NO_UNDO,
    mitre: 'T1648',
    pattern: () =>
      apiCall('lambda', {
        ...SUCCEEDED,
        sourceIPAddress: NOT_BY_AN_AWS_SERVICE,
        userIdentity: { type: ['IAMUser', 'FederatedUser', 'Root', 'AssumedRole'] },
        // Event names carry the API version: UpdateFunctionCode20150331v2, UpdateFunctionConfiguration20150331v2.
        $or: [
          { eventName: [{ prefix: 'UpdateFunctionCode' }] },
          {
            eventName: [{ prefix: 'UpdateFunctionConfiguration' }],
            requestParameters: { layers: [{ exists: true }] },
          },
        ],
      }),
    refinement:
      "Keeps a role's session only when it is a person's IAM Identity Center session (a role under " +
      'aws-reserved/sso.amazonaws.com/ or named AWSReservedSSO_*), and drops the sessions of every other ' +
      'role, which are taken for pipelines: a role path is matched inside the ARN, which a pattern can ' +
      'only do with a wildcard (an event bus allows 30 rules with one).',
    refine: (event) => madeByPersonOrLongTermKey(event),
  },
];
