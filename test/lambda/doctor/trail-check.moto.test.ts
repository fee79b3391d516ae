import { CloudTrailClient, PutEventSelectorsCommand } from '@aws-sdk/client-cloudtrail';
import { checkTrail } from '../../../lambda/doctor/trail-check';
import { emulatorClientConfig, sharedMotoUrl } from '../../support/moto';
import { createTrail, freshAccount, type DoctorAccount } from './doctor-account';

const endpoint = () => sharedMotoUrl();

function cloudtrailOf(account: DoctorAccount, region: string): CloudTrailClient {
  return new CloudTrailClient({
    ...emulatorClientConfig(endpoint(), region),
    credentials: account.credentials,
  });
}

describe('checkTrail on the emulator', () => {
  it('reports an account without any trail as missing, with the config and CLI ways to create one', async () => {
    const account = await freshAccount(endpoint());
    const check = await checkTrail(account.clients, 'eu-west-1');
    expect(check.status).toBe('missing');
    expect(check.problems).toEqual(['the account has no trail']);
    expect(check.fixes[0]).toContain('"trail": "create"');
    expect(check.fixes[1]).toMatch(
      /^aws cloudtrail create-trail .*--is-multi-region-trail --region eu-west-1/,
    );
  });

  it('counts a multi-region trail of another region (a shadow trail in the home region)', async () => {
    const account = await freshAccount(endpoint());
    const trail = await createTrail(endpoint(), account, 'ap-southeast-2');
    const check = await checkTrail(account.clients, 'eu-west-1');
    expect(check).toMatchObject({ status: 'passed', problems: [], errors: [] });
    expect(check.summary).toContain(trail.arn);
  });

  it('reports a single-region trail with the update-trail fix in its own region', async () => {
    const account = await freshAccount(endpoint());
    const trail = await createTrail(endpoint(), account, 'eu-west-1', { multiRegion: false });
    const check = await checkTrail(account.clients, 'eu-west-1');
    expect(check.status).toBe('missing');
    expect(check.problems).toEqual([`${trail.arn} is a single-region trail (eu-west-1 only)`]);
    expect(check.fixes).toEqual([
      `aws cloudtrail update-trail --name ${trail.arn} --is-multi-region-trail --region eu-west-1`,
    ]);
  });

  it('reports management events turned off, and write-only management events', async () => {
    const account = await freshAccount(endpoint());
    const off = await createTrail(endpoint(), account, 'eu-west-1');
    const writeOnly = await createTrail(endpoint(), account, 'eu-west-1');
    const cloudtrail = cloudtrailOf(account, 'eu-west-1');
    await cloudtrail.send(
      new PutEventSelectorsCommand({
        TrailName: off.name,
        EventSelectors: [
          {
            IncludeManagementEvents: false,
            ReadWriteType: 'All',
            DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }],
          },
        ],
      }),
    );
    await cloudtrail.send(
      new PutEventSelectorsCommand({
        TrailName: writeOnly.name,
        EventSelectors: [{ IncludeManagementEvents: true, ReadWriteType: 'WriteOnly' }],
      }),
    );
    const check = await checkTrail(account.clients, 'eu-west-1');
    expect(check.status).toBe('missing');
    expect(check.problems).toEqual(
      expect.arrayContaining([
        `${off.arn} records no management events (Cordon needs read and write)`,
        `${writeOnly.arn} records write-only management events (Cordon needs read and write)`,
      ]),
    );
    expect(check.fixes).toContainEqual(
      expect.stringContaining(
        `aws cloudtrail put-event-selectors --trail-name ${writeOnly.arn} --region eu-west-1 --event-selectors '[{"ReadWriteType":"All","IncludeManagementEvents":true}]'`,
      ),
    );
  });

  it('reads advanced selectors: read-only management events are a finding, all management events pass', async () => {
    const account = await freshAccount(endpoint());
    const trail = await createTrail(endpoint(), account, 'eu-west-1');
    const cloudtrail = cloudtrailOf(account, 'eu-west-1');
    const management = { Field: 'eventCategory', Equals: ['Management'] };
    await cloudtrail.send(
      new PutEventSelectorsCommand({
        TrailName: trail.name,
        AdvancedEventSelectors: [
          { Name: 'reads', FieldSelectors: [management, { Field: 'readOnly', Equals: ['true'] }] },
        ],
      }),
    );
    const readOnly = await checkTrail(account.clients, 'eu-west-1');
    expect(readOnly.problems).toEqual([
      `${trail.arn} records read-only management events (Cordon needs read and write)`,
    ]);
    expect(readOnly.fixes[0]).toContain(`--advanced-event-selectors '[{"Name":"Management events"`);

    await cloudtrail.send(
      new PutEventSelectorsCommand({
        TrailName: trail.name,
        AdvancedEventSelectors: [{ Name: 'all', FieldSelectors: [management] }],
      }),
    );
    expect((await checkTrail(account.clients, 'eu-west-1')).status).toBe('passed');
  });
});
