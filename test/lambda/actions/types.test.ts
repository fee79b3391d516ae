import { IAMServiceException } from '@aws-sdk/client-iam';
import fc from 'fast-check';
import { attempt, errorOf, permissionsOf, settle } from '../../../lambda/actions/types';

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
