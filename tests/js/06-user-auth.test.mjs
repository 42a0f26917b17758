// Choice-based sign-in (AuthFlow USER_AUTH) and auto sign-in with Amplify JS v6: the steps of
// Amplify's current multi-step sign-in — first-factor selection, a password typed after the
// choice, e-mail and SMS one-time codes as the first factor — and `autoSignIn()` after
// `confirmSignUp`, on a choice-based client and on a classic SRP client. Codes come from
// Keystep's outbox.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import {
  autoSignIn,
  confirmSignIn,
  confirmSignUp,
  getCurrentUser,
  signIn,
  signUp,
} from 'aws-amplify/auth';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  SetUserPoolMfaConfigCommand,
} from '@aws-sdk/client-cognito-identity-provider';

import {
  PASSWORD,
  admin,
  callCognito,
  createPool,
  deletePools,
  lastCode,
  lastMessage,
  rejectsWith,
  unique,
  useAmplify,
  wrongCode,
} from './support.mjs';

after(deletePools);

const ALL_FACTORS = ['PASSWORD', 'EMAIL_OTP', 'SMS_OTP'];
const SMS = {
  SmsAuthenticationMessage: 'Your code is {####}',
  SmsConfiguration: { SnsCallerArn: 'arn:aws:iam::000000000000:role/keystep-sms', ExternalId: 'ext' },
};

/** A pool whose users may start with any of `factors`, and a client allowing USER_AUTH. */
async function choicePool({ factors = ALL_FACTORS, pool = {}, client = {} } = {}) {
  return createPool({
    pool: {
      UserPoolTier: 'ESSENTIALS',
      Policies: { SignInPolicy: { AllowedFirstAuthFactors: factors } },
      ...SMS,
      ...pool,
    },
    client: {
      ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      ...client,
    },
  });
}

/** A CONFIRMED user with a permanent password and a verified e-mail (and phone, if given). */
async function member(poolId, { phone } = {}) {
  const username = unique('ua');
  const email = `${username}@example.com`;
  const attributes = [
    { Name: 'email', Value: email },
    { Name: 'email_verified', Value: 'true' },
  ];
  if (phone) {
    attributes.push({ Name: 'phone_number', Value: phone }, { Name: 'phone_number_verified', Value: 'true' });
  }
  await admin.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: username,
      UserAttributes: attributes,
      MessageAction: 'SUPPRESS',
    }),
  );
  await admin.send(
    new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: PASSWORD, Permanent: true }),
  );
  return { username, email };
}

/**
 * `autoSignIn()`, after a pause: Amplify debounces it module-wide and silently drops a call
 * made within 300 ms of the previous one (its promise never settles), which two quick
 * tests in a row would hit.
 */
async function autoSignInSettled() {
  await new Promise((resolve) => setTimeout(resolve, 350));
  return autoSignIn();
}

async function signedInAs(username) {
  const current = await getCurrentUser();
  assert.equal(current.username, username);
}

test('first-factor selection lists what the user can use; an e-mail code signs in', async () => {
  const pool = await choicePool();
  await useAmplify(pool);
  const { username } = await member(pool.poolId);

  const start = await signIn({ username, options: { authFlowType: 'USER_AUTH' } });
  assert.equal(start.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION');
  // No verified phone: SMS_OTP is not offered even though the pool allows it.
  assert.deepEqual([...start.nextStep.availableChallenges].sort(), ['EMAIL_OTP', 'PASSWORD', 'PASSWORD_SRP']);

  const chosen = await confirmSignIn({ challengeResponse: 'EMAIL_OTP' });
  assert.equal(chosen.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
  assert.equal(chosen.nextStep.codeDeliveryDetails.deliveryMedium, 'EMAIL');
  const message = await lastMessage(pool.poolId, username, 'authentication');
  assert.equal(message.medium, 'EMAIL');

  await rejectsWith(confirmSignIn({ challengeResponse: wrongCode(message.code) }), 'CodeMismatchException');
  const done = await confirmSignIn({ challengeResponse: message.code });
  assert.equal(done.isSignedIn, true);
  assert.equal(done.nextStep.signInStep, 'DONE');
  await signedInAs(username);
});

test('a password chosen from the list is typed next, plain or with SRP', async () => {
  const pool = await choicePool();
  const { username } = await member(pool.poolId);
  for (const kind of ['PASSWORD', 'PASSWORD_SRP']) {
    await useAmplify(pool);
    const start = await signIn({ username, options: { authFlowType: 'USER_AUTH' } });
    assert.equal(start.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION');
    const pick = await confirmSignIn({ challengeResponse: kind });
    assert.equal(pick.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_PASSWORD', kind);
    const done = await confirmSignIn({ challengeResponse: PASSWORD });
    assert.equal(done.nextStep.signInStep, 'DONE', kind);
    await signedInAs(username);
  }
});

test('a preferred factor is asked at once: e-mail code, SMS code, password, SRP', async () => {
  const pool = await choicePool();
  const { username } = await member(pool.poolId, { phone: '+15555550123' });

  await useAmplify(pool);
  const email = await signIn({ username, options: { authFlowType: 'USER_AUTH', preferredChallenge: 'EMAIL_OTP' } });
  assert.equal(email.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
  const byMail = await confirmSignIn({ challengeResponse: await lastCode(pool.poolId, username, 'authentication') });
  assert.equal(byMail.nextStep.signInStep, 'DONE');

  await useAmplify(pool);
  const sms = await signIn({ username, options: { authFlowType: 'USER_AUTH', preferredChallenge: 'SMS_OTP' } });
  assert.equal(sms.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_SMS_CODE');
  assert.equal(sms.nextStep.codeDeliveryDetails.deliveryMedium, 'SMS');
  const text = await lastMessage(pool.poolId, username, 'authentication');
  assert.equal(text.medium, 'SMS');
  const bySms = await confirmSignIn({ challengeResponse: text.code });
  assert.equal(bySms.nextStep.signInStep, 'DONE');

  for (const preferredChallenge of ['PASSWORD', 'PASSWORD_SRP']) {
    await useAmplify(pool);
    const result = await signIn({
      username,
      password: PASSWORD,
      options: { authFlowType: 'USER_AUTH', preferredChallenge },
    });
    assert.equal(result.nextStep.signInStep, 'DONE', preferredChallenge);
    await signedInAs(username);
  }

  await useAmplify(pool);
  await rejectsWith(
    signIn({ username, password: 'Wrong-Horse-9!', options: { authFlowType: 'USER_AUTH', preferredChallenge: 'PASSWORD' } }),
    'NotAuthorizedException',
  );
});

test('MFA follows a password first factor, not a one-time code', async () => {
  const pool = await choicePool();
  await admin.send(
    new SetUserPoolMfaConfigCommand({ UserPoolId: pool.poolId, MfaConfiguration: 'ON', SmsMfaConfiguration: SMS }),
  );
  const { username } = await member(pool.poolId, { phone: '+15555550124' });

  await useAmplify(pool);
  const withPassword = await signIn({
    username,
    password: PASSWORD,
    options: { authFlowType: 'USER_AUTH', preferredChallenge: 'PASSWORD' },
  });
  assert.equal(withPassword.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_SMS_CODE');
  const mfa = await confirmSignIn({ challengeResponse: await lastCode(pool.poolId, username, 'authentication') });
  assert.equal(mfa.nextStep.signInStep, 'DONE');

  await useAmplify(pool);
  const withCode = await signIn({ username, options: { authFlowType: 'USER_AUTH', preferredChallenge: 'EMAIL_OTP' } });
  assert.equal(withCode.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
  const done = await confirmSignIn({ challengeResponse: await lastCode(pool.poolId, username, 'authentication') });
  assert.equal(done.nextStep.signInStep, 'DONE');
});

test('an unconfirmed user is offered only the password, then asked to confirm', async () => {
  const pool = await choicePool();
  await useAmplify(pool);
  const username = unique('pending');
  await signUp({
    username,
    password: PASSWORD,
    options: { userAttributes: { email: `${username}@example.com` } },
  });
  const start = await signIn({ username, options: { authFlowType: 'USER_AUTH' } });
  assert.deepEqual([...start.nextStep.availableChallenges].sort(), ['PASSWORD', 'PASSWORD_SRP']);
  await confirmSignIn({ challengeResponse: 'PASSWORD' });
  const next = await confirmSignIn({ challengeResponse: PASSWORD });
  assert.equal(next.nextStep.signInStep, 'CONFIRM_SIGN_UP');
});

test('auto sign-in after confirmSignUp on a choice-based client', async () => {
  const pool = await choicePool();
  await useAmplify(pool);
  const username = unique('auto');
  const up = await signUp({
    username,
    password: PASSWORD,
    options: {
      userAttributes: { email: `${username}@example.com` },
      autoSignIn: { authFlowType: 'USER_AUTH' },
    },
  });
  assert.equal(up.nextStep.signUpStep, 'CONFIRM_SIGN_UP');
  const confirmed = await confirmSignUp({
    username,
    confirmationCode: await lastCode(pool.poolId, username, 'sign_up'),
  });
  assert.equal(confirmed.nextStep.signUpStep, 'COMPLETE_AUTO_SIGN_IN');
  const result = await autoSignInSettled();
  assert.equal(result.isSignedIn, true);
  assert.equal(result.nextStep.signInStep, 'DONE');
  await signedInAs(username);
});

test('auto sign-in after confirmSignUp on a classic SRP client', async () => {
  const pool = await createPool();
  await useAmplify(pool);
  const username = unique('classic');
  await signUp({
    username,
    password: PASSWORD,
    options: { userAttributes: { email: `${username}@example.com` }, autoSignIn: true },
  });
  const confirmed = await confirmSignUp({
    username,
    confirmationCode: await lastCode(pool.poolId, username, 'sign_up'),
  });
  assert.equal(confirmed.nextStep.signUpStep, 'COMPLETE_AUTO_SIGN_IN');
  const result = await autoSignInSettled();
  assert.equal(result.nextStep.signInStep, 'DONE');
  await signedInAs(username);
});

test('the ConfirmSignUp session signs in once, only its own user', async () => {
  const pool = await choicePool();
  const username = unique('once');
  const up = await callCognito('SignUp', {
    ClientId: pool.clientId,
    Username: username,
    Password: PASSWORD,
    UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }],
  });
  assert.equal(up.status, 200, JSON.stringify(up.body));
  assert.ok(up.body.Session, 'SignUp answers a Session on a USER_AUTH client');
  const confirmed = await callCognito('ConfirmSignUp', {
    ClientId: pool.clientId,
    Username: username,
    ConfirmationCode: await lastCode(pool.poolId, username, 'sign_up'),
  });
  assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
  const session = confirmed.body.Session;
  assert.ok(session, 'ConfirmSignUp answers a Session');

  const { username: other } = await member(pool.poolId);
  const stranger = await callCognito('InitiateAuth', {
    AuthFlow: 'USER_AUTH',
    ClientId: pool.clientId,
    AuthParameters: { USERNAME: other },
    Session: session,
  });
  assert.equal(stranger.status, 400);
  assert.equal(stranger.body.__type, 'NotAuthorizedException');

  const first = await callCognito('InitiateAuth', {
    AuthFlow: 'USER_AUTH',
    ClientId: pool.clientId,
    AuthParameters: { USERNAME: username },
    Session: session,
  });
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.ok(first.body.AuthenticationResult.AccessToken);

  const again = await callCognito('InitiateAuth', {
    AuthFlow: 'USER_AUTH',
    ClientId: pool.clientId,
    AuthParameters: { USERNAME: username },
    Session: session,
  });
  assert.equal(again.status, 400);
  assert.equal(again.body.__type, 'NotAuthorizedException');
});

test('USER_AUTH needs the ESSENTIALS plan and a client that allows it', async () => {
  const lite = await createPool({
    pool: { UserPoolTier: 'LITE' },
    client: { ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] },
  });
  await useAmplify(lite);
  await rejectsWith(
    signIn({ username: 'anyone', options: { authFlowType: 'USER_AUTH' } }),
    'FeatureUnavailableInTierException',
  );

  const classic = await createPool();
  await useAmplify(classic);
  await rejectsWith(
    signIn({ username: 'anyone', options: { authFlowType: 'USER_AUTH' } }),
    'InvalidParameterException',
  );
});
