/**
 * remove-image-permission's `changesOf` on every kind of launch permission added and on what it must
 * not revert; and the AMI block public access path, with aws-sdk-client-mock because moto_server
 * (5.x) lacks Get/Enable/DisableImageBlockPublicAccess.
 */
import {
  DisableImageBlockPublicAccessCommand,
  EC2Client,
  EnableImageBlockPublicAccessCommand,
  GetImageBlockPublicAccessStateCommand,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { removeImagePermission } from '../../../../../lambda/actions/reverts/ec2/remove-image-permission';
import type { RevertClients, RevertContext } from '../../../../../lambda/actions/reverts/types';
import { ec2Record, EMULATOR_ACCOUNT, NOW } from './support';

const ec2Mock = mockClient(EC2Client);
const client = new EC2Client({ region: 'us-east-1' });
const clients = { ec2: () => client } as unknown as RevertClients;
const context = (dryRun: boolean): RevertContext => ({
  clients,
  accountId: EMULATOR_ACCOUNT,
  incidentId: 'inc',
  dryRun,
  now: NOW,
  options: { terminateInstances: false },
});
afterEach(() => ec2Mock.reset());
afterAll(() => ec2Mock.restore());

const disabled = ec2Record(
  'DisableImageBlockPublicAccess',
  { DisableImageBlockPublicAccessRequest: '' },
  { DisableImageBlockPublicAccessResponse: { requestId: 'r', imageBlockPublicAccessState: 'unblocked' } },
);

describe('remove-image-permission changesOf', () => {
  it('finds every kind of launch permission added', () => {
    const record = ec2Record(
      'ModifyImageAttribute',
      {
        imageId: 'ami-0abc',
        attributeType: 'launchPermission',
        launchPermission: {
          add: {
            items: [
              { group: 'all' },
              { userId: '444455556666' },
              { organizationArn: 'arn:aws:organizations::999988887777:organization/o-x' },
              { organizationalUnitArn: 'arn:aws:organizations::999988887777:ou/o-x/ou-y' },
            ],
          },
        },
      },
      { _return: true },
    );
    expect(removeImagePermission.changesOf(record).map((c) => [c.target, c.details])).toEqual([
      [
        'image/ami-0abc',
        {
          accountId: EMULATOR_ACCOUNT,
          kind: 'share',
          resourceId: 'ami-0abc',
          added: [
            { kind: 'group', value: 'all' },
            { kind: 'user', value: '444455556666' },
            { kind: 'organization', value: 'arn:aws:organizations::999988887777:organization/o-x' },
            { kind: 'organizational-unit', value: 'arn:aws:organizations::999988887777:ou/o-x/ou-y' },
          ],
        },
      ],
    ]);
  });

  it.each([
    [
      'a description change',
      ec2Record(
        'ModifyImageAttribute',
        { imageId: 'ami-0abc', attributeType: 'description', description: { value: 'x' } },
        {},
      ),
    ],
    [
      'a removal',
      ec2Record(
        'ModifyImageAttribute',
        { imageId: 'ami-0abc', launchPermission: { remove: { items: [{ group: 'all' }] } } },
        {},
      ),
    ],
    [
      'a snapshot event',
      ec2Record(
        'ModifySnapshotAttribute',
        { snapshotId: 'snap-0abc', createVolumePermission: { add: { items: [{ group: 'all' }] } } },
        {},
      ),
    ],
  ])('finds nothing in %s', (_, record) => {
    expect(removeImagePermission.changesOf(record)).toEqual([]);
  });
});

describe('remove-image-permission on block public access (mocked: moto lacks it)', () => {
  const [change] = removeImagePermission.changesOf(disabled);

  it('finds the account setting', () => {
    expect(change.target).toBe('image-block-public-access/us-east-1');
  });

  it('enables it again as block-new-sharing, then undo disables it again', async () => {
    ec2Mock.on(GetImageBlockPublicAccessStateCommand).resolves({ ImageBlockPublicAccessState: 'unblocked' });
    ec2Mock
      .on(EnableImageBlockPublicAccessCommand)
      .resolves({ ImageBlockPublicAccessState: 'block-new-sharing' });
    const planned = await removeImagePermission.revert(change, context(true));
    expect(planned.map((o) => o.status)).toEqual(['planned']);
    expect(ec2Mock.commandCalls(EnableImageBlockPublicAccessCommand)).toHaveLength(0);

    const reverted = await removeImagePermission.revert(change, context(false));
    expect(reverted).toEqual([expect.objectContaining({ status: 'done', before: { state: 'unblocked' } })]);
    expect(ec2Mock.commandCalls(EnableImageBlockPublicAccessCommand).map((c) => c.args[0].input)).toEqual([
      { ImageBlockPublicAccessState: 'block-new-sharing' },
    ]);

    ec2Mock.reset();
    ec2Mock
      .on(GetImageBlockPublicAccessStateCommand)
      .resolves({ ImageBlockPublicAccessState: 'block-new-sharing' });
    ec2Mock.on(DisableImageBlockPublicAccessCommand).resolves({ ImageBlockPublicAccessState: 'unblocked' });
    expect((await removeImagePermission.undo(change, reverted, context(false))).map((o) => o.status)).toEqual(
      ['done'],
    );
    expect(ec2Mock.commandCalls(DisableImageBlockPublicAccessCommand)).toHaveLength(1);
  });

  it('is already done when it is on', async () => {
    ec2Mock
      .on(GetImageBlockPublicAccessStateCommand)
      .resolves({ ImageBlockPublicAccessState: 'block-new-sharing' });
    expect((await removeImagePermission.revert(change, context(false))).map((o) => o.status)).toEqual([
      'already-done',
    ]);
    expect(ec2Mock.commandCalls(EnableImageBlockPublicAccessCommand)).toHaveLength(0);
  });
});
