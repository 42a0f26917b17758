// Remembered devices with Amplify JS v6: a pool that tracks devices hands out a device key
// with the tokens, Amplify confirms it (ConfirmDevice, its own SRP verifier), the user
// remembers it, and the next sign-in proves the device by device SRP instead of an SMS code —
// until the device is forgotten.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import {
  confirmSignIn,
  fetchAuthSession,
  fetchDevices,
  forgetDevice,
  rememberDevice,
  signIn,
  signOut,
} from 'aws-amplify/auth';
import {
  AdminCreateUserCommand,
  AdminListDevicesCommand,
  AdminSetUserPasswordCommand,
  SetUserPoolMfaConfigCommand,
} from '@aws-sdk/client-cognito-identity-provider';

import { PASSWORD, admin, createPool, deletePools, lastCode, unique, useAmplify } from './support.mjs';

after(deletePools);

// Amplify names a device after the browser (`navigator.userAgent`) when it confirms it; Node
// 20 has no `navigator`, so this file gives it the one property a browser would.
const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) keystep-e2e';
if (typeof globalThis.navigator === 'undefined') {
  globalThis.navigator = { userAgent: USER_AGENT };
}

const SMS = {
  SmsAuthenticationMessage: 'Your code is {####}',
  SmsConfiguration: { SnsCallerArn: 'arn:aws:iam::000000000000:role/keystep-sms', ExternalId: 'ext' },
};

/** A pool that requires SMS MFA and lets a remembered device stand in for it. */
async function devicePool(deviceConfiguration) {
  const pool = await createPool({ pool: { DeviceConfiguration: deviceConfiguration, ...SMS } });
  await admin.send(
    new SetUserPoolMfaConfigCommand({ UserPoolId: pool.poolId, MfaConfiguration: 'ON', SmsMfaConfiguration: SMS }),
  );
  return pool;
}

async function phoneUser(poolId) {
  const username = unique('dev');
  await admin.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: username,
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'phone_number', Value: '+15555550142' },
        { Name: 'phone_number_verified', Value: 'true' },
      ],
    }),
  );
  await admin.send(
    new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: PASSWORD, Permanent: true }),
  );
  return username;
}

/** Signs in answering the SMS code when asked; answers the steps seen. */
async function signInSeeing(poolId, username) {
  const steps = [];
  let result = await signIn({ username, password: PASSWORD });
  steps.push(result.nextStep.signInStep);
  if (result.nextStep.signInStep === 'CONFIRM_SIGN_IN_WITH_SMS_CODE') {
    result = await confirmSignIn({ challengeResponse: await lastCode(poolId, username, 'authentication') });
    steps.push(result.nextStep.signInStep);
  }
  assert.equal(result.isSignedIn, true, steps.join(' → '));
  return steps;
}

test('remember a device, skip MFA on it, forget it, MFA again', async () => {
  const pool = await devicePool({ ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true });
  await useAmplify(pool);
  const username = await phoneUser(pool.poolId);

  // First sign-in on this device: SMS MFA; Amplify confirms the device it was handed.
  assert.deepEqual(await signInSeeing(pool.poolId, username), ['CONFIRM_SIGN_IN_WITH_SMS_CODE', 'DONE']);
  const tracked = await admin.send(new AdminListDevicesCommand({ UserPoolId: pool.poolId, Username: username }));
  assert.equal(tracked.Devices.length, 1, 'ConfirmDevice stored the device');
  const status = (d) => d.DeviceAttributes.find((a) => a.Name === 'dev:device_remembered_status').Value;
  assert.equal(status(tracked.Devices[0]), 'not_remembered', 'an opt-in pool waits for rememberDevice');
  assert.deepEqual(await fetchDevices(), [], 'a device not remembered is not listed to the user');

  await rememberDevice();
  const devices = await fetchDevices();
  assert.equal(devices.length, 1);
  assert.equal(devices[0].id, tracked.Devices[0].DeviceKey);
  assert.equal(devices[0].name, USER_AGENT);

  // Signed in again on the remembered device: device SRP replaces the SMS code.
  await signOut();
  assert.deepEqual(await signInSeeing(pool.poolId, username), ['DONE']);
  // Its tokens refresh (the refresh token is bound to the device).
  const refreshed = await fetchAuthSession({ forceRefresh: true });
  assert.ok(refreshed.tokens?.accessToken, 'refresh on a remembered device');

  // Forgotten: the next sign-in is a new device again, with MFA.
  await forgetDevice();
  assert.deepEqual(await fetchDevices(), []);
  await signOut();
  assert.deepEqual(await signInSeeing(pool.poolId, username), ['CONFIRM_SIGN_IN_WITH_SMS_CODE', 'DONE']);
  await signOut();
});

test('an "always remember" pool remembers at ConfirmDevice; without ChallengeRequiredOnNewDevice MFA stays', async () => {
  const pool = await devicePool({ ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: false });
  await useAmplify(pool);
  const username = await phoneUser(pool.poolId);
  assert.deepEqual(await signInSeeing(pool.poolId, username), ['CONFIRM_SIGN_IN_WITH_SMS_CODE', 'DONE']);
  assert.equal((await fetchDevices()).length, 1, 'remembered without rememberDevice()');
  const lastProof = async () =>
    (await admin.send(new AdminListDevicesCommand({ UserPoolId: pool.poolId, Username: username })))
      .Devices.map((d) => d.DeviceLastAuthenticatedDate.getTime());
  const before = await lastProof();
  await signOut();
  await new Promise((resolve) => setTimeout(resolve, 20));
  // Device SRP runs (the device's last proof moves), then the SMS code is still asked.
  assert.deepEqual(await signInSeeing(pool.poolId, username), ['CONFIRM_SIGN_IN_WITH_SMS_CODE', 'DONE']);
  const afterProof = await lastProof();
  assert.equal(afterProof.length, 1, 'the same device, no new one');
  assert.ok(afterProof[0] > before[0], `device SRP ran: ${before} → ${afterProof}`);
  await signOut();
});
