// Users an administrator created or reset, signing in with Amplify JS v6: the temporary
// password (NEW_PASSWORD_REQUIRED) and the forced password reset (RESET_PASSWORD).

import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import {
  confirmResetPassword,
  confirmSignIn,
  fetchAuthSession,
  fetchUserAttributes,
  getCurrentUser,
  resetPassword,
  signIn,
  signOut,
} from 'aws-amplify/auth';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminResetUserPasswordCommand,
  AdminSetUserPasswordCommand,
} from '@aws-sdk/client-cognito-identity-provider';

import {
  PASSWORD,
  admin,
  createPool,
  deletePools,
  lastMessage,
  rejectsWith,
  unique,
  useAmplify,
} from './support.mjs';

after(deletePools);

const TEMPORARY_PASSWORD = 'Temp-Passw0rd!';
const NEW_PASSWORD = 'N3w-Horse-Battery!';

/** AdminCreateUser with a known temporary password and no invitation message. */
async function createInvitedUser(poolId, username, attributes) {
  await admin.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: username,
      TemporaryPassword: TEMPORARY_PASSWORD,
      MessageAction: 'SUPPRESS',
      UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
    }),
  );
}

test('a user created by an admin sets a new password (and an attribute) at first sign-in', async () => {
  const pool = await createPool();
  await useAmplify(pool);
  const username = unique('erin');
  await createInvitedUser(pool.poolId, username, {
    email: `${username}@example.com`,
    email_verified: 'true',
  });

  const first = await signIn({ username, password: TEMPORARY_PASSWORD });
  assert.equal(first.isSignedIn, false);
  assert.equal(first.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED');
  // Nothing is required by this pool's schema, so nothing is missing.
  assert.deepEqual(first.nextStep.missingAttributes ?? [], []);

  // Amplify sends the optional attributes as `userAttributes.<name>` next to NEW_PASSWORD.
  const done = await confirmSignIn({
    challengeResponse: NEW_PASSWORD,
    options: { userAttributes: { given_name: 'Erin' } },
  });
  assert.deepEqual(done, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  assert.equal((await getCurrentUser()).username, username);
  const attributes = await fetchUserAttributes();
  assert.equal(attributes.given_name, 'Erin');

  const { UserStatus } = await admin.send(
    new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: username }),
  );
  assert.equal(UserStatus, 'CONFIRMED');

  // The temporary password is gone; the new one works.
  await signOut();
  await rejectsWith(signIn({ username, password: TEMPORARY_PASSWORD }), 'NotAuthorizedException');
  assert.equal((await signIn({ username, password: NEW_PASSWORD })).nextStep.signInStep, 'DONE');
});

test('NEW_PASSWORD_REQUIRED lists a required attribute the user lacks, and it must be given', async () => {
  // `name` is required by the schema; AdminCreateUser does not have to set it, but the
  // user must supply it when choosing a password.
  const pool = await createPool({
    pool: {
      Schema: [{ Name: 'name', AttributeDataType: 'String', Required: true, Mutable: true }],
    },
  });
  await useAmplify(pool);
  const username = unique('frank');
  await createInvitedUser(pool.poolId, username, { email: `${username}@example.com` });

  const first = await signIn({ username, password: TEMPORARY_PASSWORD });
  assert.equal(first.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED');
  // Keystep sends requiredAttributes as ["userAttributes.name"]; Amplify strips the prefix.
  assert.ok(
    first.nextStep.missingAttributes.includes('name'),
    `missingAttributes ${JSON.stringify(first.nextStep.missingAttributes)} includes name`,
  );

  // Without the attribute the server refuses (and the challenge can be answered again).
  await rejectsWith(
    confirmSignIn({ challengeResponse: NEW_PASSWORD }),
    'InvalidParameterException',
    /name is missing/,
  );
  const done = await confirmSignIn({
    challengeResponse: NEW_PASSWORD,
    options: { userAttributes: { name: 'Frank Example' } },
  });
  assert.equal(done.nextStep.signInStep, 'DONE');
  assert.equal((await fetchUserAttributes()).name, 'Frank Example');
  const { tokens } = await fetchAuthSession();
  assert.equal(tokens.idToken.payload.name, 'Frank Example');
});

test('after AdminResetUserPassword, signIn asks for a reset, done with the code from the outbox', async () => {
  const pool = await createPool();
  await useAmplify(pool);
  const username = unique('grace');
  const email = `${username}@example.com`;
  await createInvitedUser(pool.poolId, username, { email, email_verified: 'true' });
  await admin.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: pool.poolId,
      Username: username,
      Password: PASSWORD,
      Permanent: true,
    }),
  );
  assert.equal((await signIn({ username, password: PASSWORD })).nextStep.signInStep, 'DONE');
  await signOut();

  await admin.send(new AdminResetUserPasswordCommand({ UserPoolId: pool.poolId, Username: username }));

  // PasswordResetRequiredException becomes a step, whatever the password.
  const attempt = await signIn({ username, password: PASSWORD });
  assert.deepEqual(attempt, { isSignedIn: false, nextStep: { signInStep: 'RESET_PASSWORD' } });

  const reset = await resetPassword({ username });
  assert.equal(reset.isPasswordReset, false);
  assert.equal(reset.nextStep.resetPasswordStep, 'CONFIRM_RESET_PASSWORD_WITH_CODE');
  assert.equal(reset.nextStep.codeDeliveryDetails.deliveryMedium, 'EMAIL');
  assert.equal(reset.nextStep.codeDeliveryDetails.attributeName, 'email');
  assert.notEqual(reset.nextStep.codeDeliveryDetails.destination, email);

  const message = await lastMessage(pool.poolId, username, 'forgot_password');
  assert.equal(message.destination, email);
  await rejectsWith(
    confirmResetPassword({
      username,
      confirmationCode: message.code === '000000' ? '111111' : '000000',
      newPassword: NEW_PASSWORD,
    }),
    'CodeMismatchException',
  );
  await confirmResetPassword({ username, confirmationCode: message.code, newPassword: NEW_PASSWORD });

  await rejectsWith(signIn({ username, password: PASSWORD }), 'NotAuthorizedException');
  const signedIn = await signIn({ username, password: NEW_PASSWORD });
  assert.deepEqual(signedIn, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  assert.equal((await getCurrentUser()).username, username);
});
