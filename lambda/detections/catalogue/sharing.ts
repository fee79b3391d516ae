/** Data shared publicly or with another account: snapshots, images, buckets, functions. */
import type { Detection, EventPattern } from '../types';
import { grantsPublicAccess, policyDocument, statements } from './policy';
import { API_CALL, SUCCEEDED, apiCall, asList, at } from './shared';

const SHARE_RESPONSE =
  'A share is undone by removing exactly the permission that was added, which breaks nothing that ' +
  'worked before; the copy an attacker may already have made is out of reach, so the report says so.';

/** `add.items` of an EC2 permission change: shared with everyone (group all) or with an account (userId). */
function sharedLaunchOrVolumePermission(
  attribute: 'createVolumePermission' | 'launchPermission',
): EventPattern {
  return {
    [attribute]: {
      add: { items: { $or: [{ group: ['all'] }, { userId: [{ exists: true }] }] } },
    },
  };
}

export const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
export const AUTHENTICATED_USERS = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';
const PUBLIC_CANNED_ACLS = ['public-read', 'public-read-write', 'authenticated-read'];
/** The grant headers of PutBucketAcl: values such as uri="http://acs.amazonaws.com/groups/global/AllUsers". */
const GRANT_HEADERS = [
  'x-amz-grant-read',
  'x-amz-grant-write',
  'x-amz-grant-read-acp',
  'x-amz-grant-write-acp',
  'x-amz-grant-full-control',
];

/** Whether a PutBucketAcl request grants to everyone, by a grant in the body, a canned ACL or a grant header. */
export function aclGrantsEveryone(requestParameters: unknown): boolean {
  const grants = asList(at(requestParameters, 'AccessControlPolicy', 'AccessControlList', 'Grant'));
  const uris = grants.map((grant) => at(grant, 'Grantee', 'URI'));
  if (uris.some((uri) => uri === ALL_USERS || uri === AUTHENTICATED_USERS)) return true;
  const canned = asList(at(requestParameters, 'x-amz-acl'));
  if (canned.some((acl) => typeof acl === 'string' && PUBLIC_CANNED_ACLS.includes(acl))) return true;
  return GRANT_HEADERS.some((header) =>
    asList(at(requestParameters, header)).some(
      (value) =>
        typeof value === 'string' &&
        /acs\.amazonaws\.com\/groups\/global\/(AllUsers|AuthenticatedUsers)\b/.test(value),
    ),
  );
}

const BLOCK_SETTING_OFF: EventPattern = {
  $or: [
    { BlockPublicAcls: [false] },
    { IgnorePublicAcls: [false] },
    { BlockPublicPolicy: [false] },
    { RestrictPublicBuckets: [false] },
  ],
};

export const SHARING_DETECTIONS: readonly Detection[] = [
  {
    id: 'ebs-snapshot-shared',
    title: 'EBS snapshot shared publicly or with another account',
    severity: 'high',
    source: 'cloudtrail',
    defaultResponse: 'revert',
    rationale:
      'A snapshot shared with another account (or with everyone) lets the attacker create a volume from ' +
      'it in their own account and read the whole disk; turning off block public access for snapshots ' +
      'prepares a public share. ' +
      SHARE_RESPONSE,
    mitre: 'T1537',
    pattern: () =>
      apiCall('ec2', {
        ...SUCCEEDED,
        $or: [
          {
            eventName: ['ModifySnapshotAttribute'],
            requestParameters: sharedLaunchOrVolumePermission('createVolumePermission'),
          },
          { eventName: ['DisableSnapshotBlockPublicAccess'] },
        ],
      }),
  },
  {
    id: 'ami-shared',
    title: 'AMI shared publicly or with another account',
    severity: 'high',
    source: 'cloudtrail',
    defaultResponse: 'revert',
    rationale:
      'An image carries its disks: shared with another account or made public, it hands over the software, ' +
      'configuration and any secrets baked into it; turning off block public access for AMIs prepares a ' +
      'public share. ' +
      SHARE_RESPONSE,
    mitre: 'T1537',
    pattern: () =>
      apiCall('ec2', {
        ...SUCCEEDED,
        $or: [
          {
            eventName: ['ModifyImageAttribute'],
            requestParameters: sharedLaunchOrVolumePermission('launchPermission'),
          },
          { eventName: ['DisableImageBlockPublicAccess'] },
        ],
      }),
  },
  {
    id: 'rds-snapshot-shared',
    title: 'RDS snapshot shared publicly or with another account',
    severity: 'high',
    source: 'cloudtrail',
    defaultResponse: 'revert',
    rationale:
      'Adding an account (or "all") to the restore attribute of a DB or cluster snapshot lets that ' +
      'account restore the whole database. ' +
      SHARE_RESPONSE,
    mitre: 'T1537',
    pattern: () =>
      apiCall(
        'rds',
        // anything-but "": some value added; an empty valuesToAdd list shares nothing.
        {
          ...SUCCEEDED,
          eventName: ['ModifyDBSnapshotAttribute', 'ModifyDBClusterSnapshotAttribute'],
          requestParameters: { attributeName: ['restore'], valuesToAdd: [{ 'anything-but': '' }] },
        },
      ),
  },
  {
    id: 's3-bucket-acl-made-public',
    title: 'S3 bucket ACL granted to everyone',
    severity: 'high',
    source: 'cloudtrail',
    defaultResponse: 'revert',
    rationale:
      'A bucket ACL that grants AllUsers or AuthenticatedUsers (any AWS account), by a grant, a grant ' +
      'header or a canned ACL (public-read, public-read-write, authenticated-read), opens the bucket to the ' +
      'Internet. ' +
      SHARE_RESPONSE,
    mitre: 'T1530',
    pattern: () =>
      apiCall('s3', {
        ...SUCCEEDED,
        eventName: ['PutBucketAcl'],
        $or: [
          {
            requestParameters: {
              AccessControlPolicy: {
                AccessControlList: { Grant: { Grantee: { URI: [ALL_USERS, AUTHENTICATED_USERS] } } },
              },
            },
          },
          { requestParameters: { 'x-amz-acl': PUBLIC_CANNED_ACLS } },
          ...GRANT_HEADERS.map((header) => ({ requestParameters: { [header]: [{ exists: true }] } })),
        ],
      }),
    refinement:
      'Keeps the call only when a grant goes to AllUsers or AuthenticatedUsers: a grant header (x-amz-grant-*) ' +
      'is a free-form list of grantees, which the rule delivers whenever it is present (a wildcard on it would ' +
      'count against the 30 wildcard rules an event bus may have).',
    refine: (event) => aclGrantsEveryone(at(event, 'detail', 'requestParameters')),
  },
  {
    id: 's3-bucket-policy-made-public',
    title: 'S3 bucket policy opened to everyone',
    severity: 'high',
    source: 'cloudtrail',
    defaultResponse: 'revert',
    rationale:
      'A bucket policy statement that allows Principal "*" with no condition tying it to known callers or ' +
      'networks makes the bucket public. ' +
      SHARE_RESPONSE,
    mitre: 'T1530',
    pattern: () =>
      apiCall('s3', {
        ...SUCCEEDED,
        eventName: ['PutBucketPolicy'],
        requestParameters: {
          bucketPolicy: {
            Statement: { Effect: ['Allow'], $or: [{ Principal: ['*'] }, { Principal: { AWS: ['*'] } }] },
          },
        },
      }),
    refinement:
      'Keeps the call only when an Allow statement with Principal "*" (or {"AWS": "*"}) has no condition ' +
      'restricting it to known callers or networks (aws:SourceVpce, aws:SourceVpc, aws:SourceIp other than ' +
      '/0, aws:PrincipalOrgID, aws:PrincipalAccount, aws:PrincipalArn, aws:SourceAccount, aws:SourceArn, ' +
      'aws:userid, ... with fixed values). EventBridge cannot say "no such key anywhere in the condition".',
    refine: (event) =>
      statements(policyDocument(at(event, 'detail', 'requestParameters', 'bucketPolicy'))).some(
        grantsPublicAccess,
      ),
  },
  {
    id: 's3-public-access-block-disabled',
    title: 'S3 Block Public Access turned off',
    severity: 'high',
    source: 'cloudtrail',
    defaultResponse: 'revert',
    rationale:
      'Block Public Access overrides public ACLs and policies; deleting it, or setting one of its four ' +
      'settings to false, on a bucket or on the whole account, is the step before making data public. ' +
      'Restoring the previous configuration is safe. Account-level calls go through S3 Control, so the ' +
      'source is matched by prefix (aws.s3, and aws.s3-control should S3 Control ever be its own source).',
    mitre: 'T1530',
    pattern: () => ({
      source: [{ prefix: 'aws.s3' }],
      'detail-type': [API_CALL],
      detail: {
        ...SUCCEEDED,
        $or: [
          {
            eventName: [
              'DeleteBucketPublicAccessBlock',
              'DeleteAccountPublicAccessBlock',
              'DeletePublicAccessBlock',
            ],
          },
          {
            eventName: ['PutBucketPublicAccessBlock', 'PutAccountPublicAccessBlock', 'PutPublicAccessBlock'],
            requestParameters: { PublicAccessBlockConfiguration: BLOCK_SETTING_OFF },
          },
        ],
      },
    }),
  },
  {
    id: 'lambda-function-made-public',
    title: 'Lambda function policy opened to everyone',
    severity: 'high',
    source: 'cloudtrail',
    defaultResponse: 'revert',
    rationale:
      'AddPermission with principal "*" and no source account, source ARN or organization condition lets ' +
      'anyone invoke the function, with its role: a backdoor that needs no credential. The event name ' +
      'carries the API version (AddPermission20150331v2), so it is matched by prefix. Removing the ' +
      'statement that was added is safe.',
    mitre: 'T1648',
    pattern: () =>
      apiCall('lambda', {
        ...SUCCEEDED,
        eventName: [{ prefix: 'AddPermission' }],
        requestParameters: {
          principal: ['*'],
          principalOrgID: [{ exists: false }],
          sourceAccount: [{ exists: false }],
          sourceArn: [{ exists: false }],
        },
      }),
  },
];
