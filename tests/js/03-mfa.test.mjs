// Multi-factor sign-in with Amplify JS v6: SMS codes, TOTP set up during sign-in and after,
// e-mail codes set up during sign-in, and choosing between factors. SMS and e-mail codes are
// read from Keystep's outbox; TOTP codes are computed here (RFC 6238) from the shared secret
// Amplify hands out, at the *server's* time.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import {
  confirmSignIn,
  fetchMFAPreference,
  fetchUserAttributes,
  getCurrentUser,
  setUpTOTP,
  signIn,
  signOut,
  updateMFAPreference,
  verifyTOTPSetup,
} from 'aws-amplify/auth';
import {
  AdminCreateUserCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminSetUserPasswordCommand,
  SetUserPoolMfaConfigCommand,
} from '@aws-sdk/client-cognito-identity-provider';

import {
  PASSWORD,
  admin,
  createPool,
  currentStep,
  deletePools,
  lastCode,
  lastMessage,
  rejectsWith,
  totpAt,
  unique,
  useAmplify,
  wrongCode,
} from './support.mjs';

after(deletePools);

const SMS_MFA = {
  SmsAuthenticationMessage: 'Your sign-in code is {####}',
  SmsConfiguration: { SnsCallerArn: 'arn:aws:iam::000000000000:role/keystep-sms', ExternalId: 'ext' },
};
const EMAIL_MFA = { Message: 'Your sign-in code is {####}', Subject: 'Sign-in code' };
// A wrong code in VerifySoftwareToken: Cognito has been seen answering either.
const VERIFY_FAILED = ['EnableSoftwareTokenMFAException', 'CodeMismatchException'];

/** A pool with the given MFA settings (SetUserPoolMfaConfig members) and its app client. */
async function mfaPool(mfaConfig) {
  const pool = await createPool();
  await admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: pool.poolId, ...mfaConfig }));
  return pool;
}

/** A CONFIRMED user with a permanent PASSWORD and the given attributes, made by the admin. */
async function confirmedUser(poolId, username, attributes = {}) {
  await admin.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: username,
      MessageAction: 'SUPPRESS',
      UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
    }),
  );
  await admin.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: poolId,
      Username: username,
      Password: PASSWORD,
      Permanent: true,
    }),
  );
}

test('SMS MFA: the masked number, a wrong code, then the right one in the same sign-in', async () => {
  const pool = await mfaPool({ MfaConfiguration: 'OPTIONAL', SmsMfaConfiguration: SMS_MFA });
  await useAmplify(pool);
  const username = unique('heidi');
  const phone = '+15555550123';
  await confirmedUser(pool.poolId, username, { phone_number: phone, phone_number_verified: 'true' });
  await admin.send(
    new AdminSetUserMFAPreferenceCommand({
      UserPoolId: pool.poolId,
      Username: username,
      SMSMfaSettings: { Enabled: true, PreferredMfa: true },
    }),
  );

  const first = await signIn({ username, password: PASSWORD });
  assert.equal(first.isSignedIn, false);
  assert.equal(first.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_SMS_CODE');
  const delivery = first.nextStep.codeDeliveryDetails;
  assert.equal(delivery.deliveryMedium, 'SMS');
  assert.ok(delivery.destination.endsWith('0123'), `masked: ${delivery.destination}`);
  assert.ok(!delivery.destination.includes('555555'), `not the whole number: ${delivery.destination}`);

  const message = await lastMessage(pool.poolId, username, 'authentication');
  assert.equal(message.medium, 'SMS');
  assert.equal(message.destination, phone);

  // A wrong code is an error, and the sign-in can go on with the same session.
  await rejectsWith(confirmSignIn({ challengeResponse: wrongCode(message.code) }), 'CodeMismatchException');
  const done = await confirmSignIn({ challengeResponse: message.code });
  assert.deepEqual(done, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  assert.equal((await getCurrentUser()).username, username);
  const preference = await fetchMFAPreference();
  assert.deepEqual(preference.enabled, ['SMS']);
  assert.equal(preference.preferred, 'SMS');
});

test('TOTP set up during sign-in, then asked for at the next sign-in; a code works once', async () => {
  const pool = await mfaPool({
    MfaConfiguration: 'ON',
    SoftwareTokenMfaConfiguration: { Enabled: true },
  });
  await useAmplify(pool);
  const username = unique('ivan');
  await confirmedUser(pool.poolId, username);

  // MFA_SETUP offering only TOTP: Amplify calls AssociateSoftwareToken with the session
  // by itself and hands out the secret.
  const first = await signIn({ username, password: PASSWORD });
  assert.equal(first.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP');
  const secret = first.nextStep.totpSetupDetails.sharedSecret;
  assert.match(secret, /^[A-Z2-7]{16,}=*$/, 'a base32 secret');
  assert.match(first.nextStep.totpSetupDetails.getSetupUri('Keystep').href, /^otpauth:\/\/totp\//);

  let step = await currentStep();
  const setupCode = totpAt(secret, step);
  // A wrong code fails VerifySoftwareToken (as an error, not {Status: ERROR}); the setup
  // can be retried.
  await rejectsWith(confirmSignIn({ challengeResponse: wrongCode(setupCode) }), VERIFY_FAILED);
  const done = await confirmSignIn({
    challengeResponse: setupCode,
    options: { friendlyDeviceName: 'Test phone' },
  });
  assert.deepEqual(done, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  const preference = await fetchMFAPreference();
  assert.ok(preference.enabled?.includes('TOTP'), `enabled: ${JSON.stringify(preference)}`);

  await signOut();
  const second = await signIn({ username, password: PASSWORD });
  assert.equal(second.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_TOTP_CODE');
  // The code used for the setup is spent, even inside its 30-second window.
  await rejectsWith(confirmSignIn({ challengeResponse: setupCode }), 'CodeMismatchException');
  // A code of a later step (Keystep accepts one step of drift) is fresh.
  step = Math.max(step + 1, await currentStep());
  const signedIn = await confirmSignIn({ challengeResponse: totpAt(secret, step) });
  assert.equal(signedIn.nextStep.signInStep, 'DONE');
  assert.equal((await getCurrentUser()).username, username);
});

test('e-mail MFA set up during sign-in: the address, then the e-mailed code', async () => {
  const pool = await mfaPool({ MfaConfiguration: 'ON', EmailMfaConfiguration: EMAIL_MFA });
  await useAmplify(pool);
  const username = unique('judy');
  const email = `${username}@example.com`;
  // No e-mail address yet: MFA is required and nothing can reach the user.
  await confirmedUser(pool.poolId, username);

  const first = await signIn({ username, password: PASSWORD });
  assert.deepEqual(first, {
    isSignedIn: false,
    nextStep: { signInStep: 'CONTINUE_SIGN_IN_WITH_EMAIL_SETUP' },
  });
  // An answer containing `@` is sent as the EMAIL of MFA_SETUP.
  const second = await confirmSignIn({ challengeResponse: email });
  assert.equal(second.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
  assert.equal(second.nextStep.codeDeliveryDetails.deliveryMedium, 'EMAIL');
  assert.match(second.nextStep.codeDeliveryDetails.destination, /^j.*@e/);
  assert.notEqual(second.nextStep.codeDeliveryDetails.destination, email);

  const message = await lastMessage(pool.poolId, username, 'authentication');
  assert.equal(message.destination, email);
  const done = await confirmSignIn({ challengeResponse: message.code });
  assert.deepEqual(done, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  assert.equal((await fetchUserAttributes()).email, email);
  assert.ok((await fetchMFAPreference()).enabled?.includes('EMAIL'));

  // Set up for good: the next sign-in asks for an e-mailed code straight away.
  await signOut();
  const again = await signIn({ username, password: PASSWORD });
  assert.equal(again.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
  const code = await lastCode(pool.poolId, username, 'authentication');
  assert.notEqual(code, message.code, 'a new code for a new sign-in');
  assert.equal((await confirmSignIn({ challengeResponse: code })).nextStep.signInStep, 'DONE');
});

test('MFA setup with TOTP and e-mail offered: choose EMAIL, give the address, enter the code', async () => {
  const pool = await mfaPool({
    MfaConfiguration: 'ON',
    SoftwareTokenMfaConfiguration: { Enabled: true },
    EmailMfaConfiguration: EMAIL_MFA,
  });
  await useAmplify(pool);
  const username = unique('ken');
  const email = `${username}@example.com`;
  await confirmedUser(pool.poolId, username);

  const first = await signIn({ username, password: PASSWORD });
  assert.equal(first.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION');
  assert.deepEqual([...first.nextStep.allowedMFATypes].sort(), ['EMAIL', 'TOTP']);

  // 'EMAIL' only picks the method inside Amplify; the address goes to the server next.
  const picked = await confirmSignIn({ challengeResponse: 'EMAIL' });
  assert.equal(picked.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_EMAIL_SETUP');
  const codeStep = await confirmSignIn({ challengeResponse: email });
  assert.equal(codeStep.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
  const code = await lastCode(pool.poolId, username, 'authentication');
  const done = await confirmSignIn({ challengeResponse: code });
  assert.deepEqual(done, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  assert.equal((await fetchUserAttributes()).email, email);
});

test('TOTP set up after sign-in; with SMS and TOTP enabled and none preferred the user chooses', async () => {
  const pool = await mfaPool({
    MfaConfiguration: 'OPTIONAL',
    SmsMfaConfiguration: SMS_MFA,
    SoftwareTokenMfaConfiguration: { Enabled: true },
  });
  await useAmplify(pool);
  const username = unique('leo');
  const phone = '+15555550177';
  await confirmedUser(pool.poolId, username, { phone_number: phone, phone_number_verified: 'true' });

  // OPTIONAL and nothing enabled: no MFA yet.
  assert.equal((await signIn({ username, password: PASSWORD })).nextStep.signInStep, 'DONE');
  assert.deepEqual((await fetchMFAPreference()).enabled ?? [], []);

  // AssociateSoftwareToken / VerifySoftwareToken with the access token.
  const { sharedSecret } = await setUpTOTP();
  const step = await currentStep();
  await rejectsWith(verifyTOTPSetup({ code: wrongCode(totpAt(sharedSecret, step)) }), VERIFY_FAILED);
  await verifyTOTPSetup({ code: totpAt(sharedSecret, step) });
  await updateMFAPreference({ sms: 'ENABLED', totp: 'ENABLED' });
  const preference = await fetchMFAPreference();
  assert.deepEqual([...preference.enabled].sort(), ['SMS', 'TOTP']);
  assert.equal(preference.preferred, undefined);

  await signOut();
  const first = await signIn({ username, password: PASSWORD });
  assert.equal(first.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION');
  assert.deepEqual([...first.nextStep.allowedMFATypes].sort(), ['SMS', 'TOTP']);
  // Choosing SMS sends the code now.
  const smsStep = await confirmSignIn({ challengeResponse: 'SMS' });
  assert.equal(smsStep.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_SMS_CODE');
  assert.equal(smsStep.nextStep.codeDeliveryDetails.deliveryMedium, 'SMS');
  assert.ok(smsStep.nextStep.codeDeliveryDetails.destination.endsWith('0177'));
  const message = await lastMessage(pool.poolId, username, 'authentication');
  assert.equal(message.destination, phone);
  const done = await confirmSignIn({ challengeResponse: message.code });
  assert.deepEqual(done, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
});
