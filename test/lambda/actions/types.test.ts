import { IAMServiceException } from '@aws-sdk/client-iam';
import fc from 'fast-check';
import {
  AWS_OPERATION_PROPERTY,
  NOT_AN_AWS_RESPONSE,
  attempt,
  containmentGrantsOf,
  errorOf,
  permissionsOf,
  settle,
} from '../../../lambda/actions/types';
import { IAM_USER_CONTAINMENT_GRANTS } from '../../../lambda/actions';

describe('action types', () => {
  it('names an AWS error by its service error name', () => {
    const error = new IAMServiceException({
      name: 'ThrottlingException',
      $fault: 'client',
      $metadata: {},
      message: 'Rate exceeded',
    });
    expect(errorOf(error)).toEqual({ name: 'ThrottlingException', message: 'Rate exceeded' });
    expect(errorOf({ name: 'Odd', message: 'plain object' })).toEqual({
      name: 'Odd',
      message: 'plain object',
    });
    expect(errorOf({ code: 1 })).toEqual({ name: 'Error', message: '{"code":1}' });
    expect(errorOf('text')).toEqual({ name: 'Error', message: 'text' });
  });

  describe('an answer that is not an AWS API response', () => {
    const MOTO_500_PAGE =
      '<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1>\n' +
      '<p>The server encountered an internal error and was unable to complete your request. Either the server ' +
      'is overloaded or there is an error in the application.</p>\n';

    /** What the SDK throws when it cannot parse the body: an Error with the hidden $response. */
    function deserializationError(
      response: { statusCode: number; body?: unknown },
      operation?: object,
    ): Error {
      const error = new Error(
        '@aws-sdk XML parse error: mismatched tags <html> and </title>.\n  Deserialization error: to see the ' +
          'raw response, inspect the hidden field {error}.$response on this object.',
      );
      Object.defineProperty(error, '$response', { value: { headers: {}, ...response }, enumerable: false });
      Object.assign(error, { $metadata: { httpStatusCode: response.statusCode } });
      if (operation)
        Object.defineProperty(error, AWS_OPERATION_PROPERTY, { value: operation, enumerable: false });
      return error;
    }

    it('names the call, the HTTP status, and an excerpt of the body without its tags', () => {
      const error = deserializationError(
        { statusCode: 500, body: MOTO_500_PAGE },
        { service: 'IAM', operation: 'ListServiceSpecificCredentials' },
      );
      const { name, message } = errorOf(error);
      expect(name).toBe(NOT_AN_AWS_RESPONSE);
      expect(message).toMatch(
        /^IAM ListServiceSpecificCredentials answered HTTP 500, not an AWS API response: 500 Internal Server Error Internal Server Error The server encountered/,
      );
      expect(message).not.toContain('Deserialization error');
      expect(message).not.toMatch(/[<>]/);
      const excerpt = message.slice(message.indexOf('response: ') + 'response: '.length);
      expect(excerpt.length).toBeLessThanOrEqual(120);
      expect(excerpt.endsWith('…')).toBe(true);
    });

    it('reads a body kept as bytes, drops scripts, styles and comments, and decodes entities', () => {
      const body = new TextEncoder().encode(
        '<html><head><style>p{color:red}</style><script>var x = "<p>";</script></head>' +
          '<!-- note --><body><p>Sign in &amp; retry</p></body></html>',
      );
      expect(errorOf(deserializationError({ statusCode: 200, body }))).toEqual({
        name: NOT_AN_AWS_RESPONSE,
        message: 'An AWS API call answered HTTP 200, not an AWS API response: Sign in & retry',
      });
    });

    it('falls back to the first line of the SDK message when the body is gone', () => {
      expect(errorOf(deserializationError({ statusCode: 502, body: {} })).message).toBe(
        'An AWS API call answered HTTP 502, not an AWS API response: (@aws-sdk XML parse error: mismatched tags <html> and </title>.)',
      );
    });

    it('leaves AWS errors, which carry $fault beside their $response, as they are', () => {
      const error = new IAMServiceException({
        name: 'NoSuchEntityException',
        $fault: 'client',
        $metadata: { httpStatusCode: 404 },
        message: 'The user with name bob cannot be found.',
      });
      Object.defineProperty(error, '$response', { value: { statusCode: 404, body: '<ErrorResponse/>' } });
      expect(errorOf(error)).toEqual({
        name: 'NoSuchEntityException',
        message: 'The user with name bob cannot be found.',
      });
    });
  });

  it('turns any thrown value into an ActionError with string fields', () => {
    fc.assert(
      fc.property(fc.anything(), (thrown) => {
        const error = errorOf(thrown);
        return typeof error.name === 'string' && typeof error.message === 'string';
      }),
    );
  });

  it('keeps read failures and write failures as data', async () => {
    await expect(settle(() => Promise.resolve(3))).resolves.toEqual({ ok: true, value: 3 });
    await expect(settle(() => Promise.reject(new RangeError('no')))).resolves.toEqual({
      ok: false,
      error: { name: 'RangeError', message: 'no' },
    });
    await expect(attempt(() => Promise.resolve('ignored'))).resolves.toBeUndefined();
    await expect(attempt(() => Promise.reject(new TypeError('bad')))).resolves.toEqual({
      name: 'TypeError',
      message: 'bad',
    });
  });

  it('unions the modules declarations, sorted and each once', () => {
    const modules = [
      { action: 'a', permissions: ['iam:B', 'iam:A'], restorePermissions: ['iam:C'] },
      { action: 'b', permissions: ['iam:A', 'iam:D'], restorePermissions: [] },
    ];
    expect(permissionsOf(modules, 'permissions')).toEqual(['iam:A', 'iam:B', 'iam:D']);
    expect(permissionsOf(modules, 'restorePermissions')).toEqual(['iam:C']);
    expect(Object.isFrozen(permissionsOf(modules, 'permissions'))).toBe(true);
  });
});

describe('containmentGrantsOf', () => {
  it('groups the declared actions by resource and keeps the AWSDenyAll-only ones apart', () => {
    const grants = containmentGrantsOf([
      {
        action: 'deny',
        permissions: ['iam:PutUserPolicy', 'iam:AttachUserPolicy'],
        restorePermissions: [],
        onlyWithAwsDenyAll: { 'iam:AttachUserPolicy': 'iam:PolicyARN' },
      },
      { action: 'keys', permissions: ['iam:UpdateAccessKey', 'iam:ListAccessKeys'], restorePermissions: [] },
      {
        action: 'groups',
        permissions: ['iam:ListGroupsForUser', 'iam:RemoveUserFromGroup'],
        restorePermissions: [],
        resources: ['user', 'group'],
      },
    ]);
    expect(grants).toEqual([
      { actions: ['iam:AttachUserPolicy'], resources: ['user'], awsDenyAllConditionKey: 'iam:PolicyARN' },
      { actions: ['iam:ListAccessKeys', 'iam:PutUserPolicy', 'iam:UpdateAccessKey'], resources: ['user'] },
      { actions: ['iam:ListGroupsForUser', 'iam:RemoveUserFromGroup'], resources: ['group', 'user'] },
    ]);
  });

  it('derives the deployed grants of the IAM-user modules: groups alone reach group/*', () => {
    const onGroups = IAM_USER_CONTAINMENT_GRANTS.filter((grant) => grant.resources.includes('group'));
    expect(onGroups.flatMap((grant) => grant.actions).sort()).toEqual([
      'iam:ListGroupsForUser',
      'iam:RemoveUserFromGroup',
    ]);
    expect(
      IAM_USER_CONTAINMENT_GRANTS.filter((grant) => grant.awsDenyAllConditionKey).map(
        (grant) => grant.actions,
      ),
    ).toEqual([['iam:AttachUserPolicy'], ['iam:PutUserPermissionsBoundary']]);
  });
});

describe('containmentGrantsOf', () => {
  it('grants an account-wide read on "*" and the writes of the same module only on its own resource kinds', () => {
    const grants = containmentGrantsOf([
      {
        action: 'example',
        permissions: ['ec2:DescribeInstances', 'ec2:StopInstances'],
        restorePermissions: [],
        resources: ['ec2:instance', '*'],
      },
    ]);
    expect(grants).toEqual([
      { actions: ['ec2:DescribeInstances'], resources: ['*'] },
      { actions: ['ec2:StopInstances'], resources: ['ec2:instance'] },
    ]);
  });

  it('refuses a declaration that leaves a call with no resource it can be granted on', () => {
    expect(() =>
      containmentGrantsOf([
        { action: 'broken', permissions: ['ec2:StopInstances'], restorePermissions: [], resources: ['*'] },
      ]),
    ).toThrow(/broken declares ec2:StopInstances but no resource/);
  });
});
