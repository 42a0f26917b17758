// A challenge session that outlives the app client's AuthSessionValidity is refused.
//
// This moves the shared server clock forward for good (the test endpoint cannot move it
// back), and a clock 10 minutes ahead would refuse every later SRP sign-in (its TIMESTAMP
// would be too far from the server's time). Hence this file's name: the harness runs the
// files in name order, and this one must stay last.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { confirmSignIn, signIn } from 'aws-amplify/auth';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  SetUserPoolMfaConfigCommand,
} from '@aws-sdk/client-cognito-identity-provider';

import {
  PASSWORD,
  admin,
  advanceClock,
  createPool,
  deletePools,
  lastCode,
  rejectsWith,
  serverNow,
  unique,
  useAmplify,
} from './support.mjs';

after(deletePools);

test('an SMS challenge answered after the session expired is NotAuthorizedException', async () => {
  // AuthSessionValidity is 3 minutes (the default, set explicitly so the test says it).
  const pool = await createPool({ client: { AuthSessionValidity: 3 } });
  await admin.send(
    new SetUserPoolMfaConfigCommand({
      UserPoolId: pool.poolId,
      MfaConfiguration: 'ON',
      SmsMfaConfiguration: {
        SmsConfiguration: { SnsCallerArn: 'arn:aws:iam::000000000000:role/keystep-sms', ExternalId: 'ext' },
      },
    }),
  );
  await useAmplify(pool);
  const username = unique('niaj');
  await admin.send(
    new AdminCreateUserCommand({
      UserPoolId: pool.poolId,
      Username: username,
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'phone_number', Value: '+15555550142' },
        { Name: 'phone_number_verified', Value: 'true' },
      ],
    }),
  );
  await admin.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: pool.poolId,
      Username: username,
      Password: PASSWORD,
      Permanent: true,
    }),
  );

  // MFA ON and a verified phone number: an SMS code is asked for.
  const first = await signIn({ username, password: PASSWORD });
  assert.equal(first.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_SMS_CODE');
  const code = await lastCode(pool.poolId, username, 'authentication');

  const before = await serverNow();
  const now = await advanceClock(600);
  assert.ok(now - before >= 600_000, 'the server clock moved 10 minutes');

  // The right code, too late.
  await rejectsWith(
    confirmSignIn({ challengeResponse: code }),
    'NotAuthorizedException',
    /session is expired/i,
  );
});
