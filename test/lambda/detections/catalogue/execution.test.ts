/**
 * The execution detections beyond their fixtures (which test/lambda/detections/catalogue.test.ts runs through
 * the local matcher and moto's EventBridge): which Run Command documents count as routine, who counts as a
 * person for a function change, and the event shapes the fixtures do not each show (API-version suffixes,
 * an emptied layer list, calls an AWS service makes for the caller). Matched with `matchDetections` under the
 * default configuration, as the responder matches.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../../../../lambda/config/load';
import {
  EXECUTION_DETECTIONS,
  ROUTINE_RUN_COMMAND_DOCUMENTS,
  madeByPersonOrLongTermKey,
} from '../../../../lambda/detections/catalogue/execution';
import { detectionContextFromConfig } from '../../../../lambda/detections/context';
import { matchDetections } from '../../../../lambda/detections/match';

type Json = Record<string, unknown>;

const CONTEXT = detectionContextFromConfig(parseConfig({}));
const FIXTURES = join(__dirname, '..', '..', '..', 'fixtures', 'detections');

function fixture(detection: string, file: string): Json {
  return JSON.parse(readFileSync(join(FIXTURES, detection, file), 'utf8')) as Json;
}

function detailOf(event: Json): Json {
  return event.detail as Json;
}

function requestOf(event: Json): Json {
  return detailOf(event).requestParameters as Json;
}

/** The ids of the execution detections the event matches. */
function matched(event: Json): string[] {
  return matchDetections(event, CONTEXT, EXECUTION_DETECTIONS).map((detection) => detection.id);
}

describe('ssm-command-sent-to-instances', () => {
  const ID = 'ssm-command-sent-to-instances';
  const shellScript = (): Json => fixture(ID, 'positive-run-shell-script.json');

  it.each(ROUTINE_RUN_COMMAND_DOCUMENTS.map((name) => [name]))(
    'leaves out the routine document %s',
    (name) => {
      const event = shellScript();
      requestOf(event).documentName = name;
      expect(matched(event)).toEqual([]);
    },
  );

  it.each([
    'AWS-RunPowerShellScript',
    'AWS-RunRemoteScript',
    'AWS-RunPatchBaselineWithHooks',
    'AWS-ConfigureAWSPackage',
    'arn:aws:ssm:us-east-1:444455556666:document/AWS-RunPatchBaseline',
    'aws-runpatchbaseline',
  ])('reports the document %s, which can run what the caller chose', (name) => {
    const event = shellScript();
    requestOf(event).documentName = name;
    expect(matched(event)).toEqual([ID]);
  });

  it('leaves out a command an AWS service sends, and reports the same command sent from an address', () => {
    const event = fixture(ID, 'negative-maintenance-window-task.json');
    expect(matched(event)).toEqual([]);
    detailOf(event).sourceIPAddress = '10.20.30.40';
    expect(matched(event)).toEqual([ID]);
  });
});

describe('ec2-instance-user-data-modified', () => {
  it('reports a user-data change only, not the other attributes ModifyInstanceAttribute sets', () => {
    const event = fixture('ec2-instance-user-data-modified', 'positive.json');
    expect(matched(event)).toEqual(['ec2-instance-user-data-modified']);
    for (const attribute of ['instanceType', 'disableApiTermination', 'sourceDestCheck', 'kernel']) {
      detailOf(event).requestParameters = { instanceId: 'i-0a3c5e7f9b1d2e4f6', attribute, value: 'x' };
      expect({ attribute, matched: matched(event) }).toEqual({ attribute, matched: [] });
    }
  });
});

describe('lambda-function-code-replaced', () => {
  const ID = 'lambda-function-code-replaced';

  it.each(['UpdateFunctionCode', 'UpdateFunctionCode20150331', 'UpdateFunctionCode20150331v2'])(
    'reports the code change %s, whatever its API-version suffix',
    (eventName) => {
      const event = fixture(ID, 'positive-code-by-access-key.json');
      detailOf(event).eventName = eventName;
      expect(matched(event)).toEqual([ID]);
    },
  );

  it('reports a configuration change that sets layers, not one that empties them', () => {
    const event = fixture(ID, 'positive-layer-added-by-identity-center-user.json');
    detailOf(event).eventName = 'UpdateFunctionConfiguration20150331';
    expect(matched(event)).toEqual([ID]);
    // An empty list holds no value for EventBridge: removing every layer adds no code.
    requestOf(event).layers = [];
    expect(matched(event)).toEqual([]);
  });

  it("does not report other function calls that mention layers (a function's own creation, a version)", () => {
    const event = fixture(ID, 'positive-layer-added-by-identity-center-user.json');
    for (const eventName of ['CreateFunction20150331', 'PublishVersion20150331', 'GetFunction20150331v2']) {
      detailOf(event).eventName = eventName;
      expect({ eventName, matched: matched(event) }).toEqual({ eventName, matched: [] });
    }
  });

  it("keeps an Identity Center session, drops a pipeline role's session", () => {
    const byPerson = fixture(ID, 'positive-layer-added-by-identity-center-user.json');
    expect(matched(byPerson)).toEqual([ID]);
    const byPipeline = fixture(ID, 'negative-refine-pipeline-role.json');
    expect(matched(byPipeline)).toEqual([]);
  });
});

describe('madeByPersonOrLongTermKey', () => {
  const issuer = (userName: string, arn: string) => ({
    type: 'AssumedRole',
    sessionContext: { sessionIssuer: { type: 'Role', userName, arn } },
  });
  const eventBy = (userIdentity: unknown) => ({ detail: { userIdentity } });

  it.each([
    ['an IAM user', { type: 'IAMUser', userName: 'deploy-bot' }, true],
    ['a federation token', { type: 'FederatedUser' }, true],
    ['root', { type: 'Root' }, true],
    [
      'an Identity Center session',
      issuer(
        'AWSReservedSSO_AdministratorAccess_0a1b2c3d4e5f6a7b',
        'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_0a1b2c3d4e5f6a7b',
      ),
      true,
    ],
    [
      'an Identity Center session in a region path, in GovCloud',
      issuer(
        'Admins',
        'arn:aws-us-gov:iam::111122223333:role/aws-reserved/sso.amazonaws.com/us-gov-west-1/Admins',
      ),
      true,
    ],
    [
      'a pipeline role',
      issuer('github-actions-deploy', 'arn:aws:iam::111122223333:role/github-actions-deploy'),
      false,
    ],
    [
      'a role whose name merely mentions sso',
      issuer('sso-admin', 'arn:aws:iam::111122223333:role/sso-admin'),
      false,
    ],
    ['an AWS service', { type: 'AWSService', invokedBy: 'lambda.amazonaws.com' }, false],
    ['a role session without a session context', { type: 'AssumedRole' }, false],
    ['nothing', undefined, false],
    ['nonsense', 'IAMUser', false],
  ])('%s', (_name, userIdentity, expected) => {
    expect(madeByPersonOrLongTermKey(eventBy(userIdentity))).toBe(expected);
  });
});
