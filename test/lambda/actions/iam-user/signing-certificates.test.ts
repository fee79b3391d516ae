import {
  deactivateSigningCertificates,
  reactivateSigningCertificates,
  readSigningCertificates,
  signingCertificates,
} from '../../../../lambda/actions/iam-user/signing-certificates';
import { FakeIam } from './support/fake-iam';
import { containContext, ok, restoreContext } from './support/contexts';

describe('signing certificates', () => {
  let fake: FakeIam;
  beforeEach(() => {
    fake = new FakeIam();
    fake.addUser('alice', { signingCertificates: [{ id: 'CERT1' }, { id: 'CERT2' }] });
  });
  afterEach(() => fake.restore());

  it('declares what it calls', () => {
    expect(signingCertificates.permissions).toEqual([
      'iam:ListSigningCertificates',
      'iam:UpdateSigningCertificate',
    ]);
    expect(signingCertificates.restorePermissions).toEqual([
      'iam:ListSigningCertificates',
      'iam:UpdateSigningCertificate',
    ]);
  });

  it('deactivates every certificate with UpdateSigningCertificate, and sets them back on restore', async () => {
    const before = await readSigningCertificates(fake.client, 'alice');
    fake.clearLog();

    const outcomes = await deactivateSigningCertificates(containContext(fake), ok(before));

    expect(outcomes.map((o) => [o.target, o.status])).toEqual([
      ['signing-certificate/CERT1', 'done'],
      ['signing-certificate/CERT2', 'done'],
    ]);
    expect(fake.calls.map((call) => call.input)).toEqual([
      { UserName: 'alice', CertificateId: 'CERT1', Status: 'Inactive' },
      { UserName: 'alice', CertificateId: 'CERT2', Status: 'Inactive' },
    ]);
    expect(fake.stateOf('alice').signingCertificates).toEqual({ CERT1: 'Inactive', CERT2: 'Inactive' });

    const current = ok(await readSigningCertificates(fake.client, 'alice'));
    const restored = await reactivateSigningCertificates(restoreContext(fake), outcomes, current);

    expect(restored.map((o) => [o.action, o.status])).toEqual([
      ['restore-signing-certificate-status', 'done'],
      ['restore-signing-certificate-status', 'done'],
    ]);
    expect(fake.stateOf('alice').signingCertificates).toEqual({ CERT1: 'Active', CERT2: 'Active' });
  });
});
