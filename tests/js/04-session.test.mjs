// A signed-in session with Amplify JS v6: token refresh (GetTokensFromRefreshToken), user
// attributes, password change, and signing out (RevokeToken, GlobalSignOut) — checked by
// calling Keystep directly with the tokens Amplify held.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import {
  confirmUserAttribute,
  fetchAuthSession,
  fetchUserAttributes,
  getCurrentUser,
  signIn,
  signOut,
  updatePassword,
  updateUserAttributes,
} from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
} from '@aws-sdk/client-cognito-identity-provider';

import {
  PASSWORD,
  admin,
  callCognito,
  createPool,
  deletePools,
  lastMessage,
  rejectsWith,
  unique,
  useAmplify,
} from './support.mjs';

after(deletePools);

// Amplify keeps its tokens in a key-value storage; giving it this one (public API, what an
// app does for a custom storage) lets the tests read the refresh token Amplify holds, which
// no Amplify API returns. `Amplify.configure` puts the default storage back, so this is
// set after each configure.
const storage = new Map();
function useMapStorage() {
  storage.clear();
  cognitoUserPoolsTokenProvider.setKeyValueStorage({
    setItem: async (key, value) => void storage.set(key, value),
    getItem: async (key) => storage.get(key) ?? null,
    removeItem: async (key) => void storage.delete(key),
    clear: async () => storage.clear(),
  });
}

/** The refresh token Amplify holds (null when none). */
function refreshTokenHeld() {
  const keys = [...storage.keys()].filter((k) => k.endsWith('.refreshToken'));
  assert.ok(keys.length <= 1, `at most one refresh token stored: ${keys}`);
  return keys.length ? storage.get(keys[0]) : null;
}

// Records the Cognito operations Amplify sends (it calls the global fetch), to check which
// one it used for a refresh.
const operations = [];
const realFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  const target = new Headers(init?.headers).get('x-amz-target');
  if (target) operations.push(target.split('.').pop());
  return realFetch(input, init);
};

/** A fresh pool with one confirmed user (verified e-mail) signed in through Amplify. */
async function signedInUser() {
  const pool = await createPool();
  await useAmplify(pool);
  useMapStorage();
  const username = unique('mallory');
  const email = `${username}@example.com`;
  await admin.send(
    new AdminCreateUserCommand({
      UserPoolId: pool.poolId,
      Username: username,
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: email },
        { Name: 'email_verified', Value: 'true' },
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
  assert.equal((await signIn({ username, password: PASSWORD })).nextStep.signInStep, 'DONE');
  return { ...pool, username, email };
}

test('fetchAuthSession({ forceRefresh: true }) gets new tokens with GetTokensFromRefreshToken', async () => {
  const { clientId, username } = await signedInUser();
  const original = (await fetchAuthSession()).tokens;
  const refreshToken = refreshTokenHeld();
  assert.ok(refreshToken, 'Amplify holds a refresh token');

  operations.length = 0;
  const refreshed = (await fetchAuthSession({ forceRefresh: true })).tokens;
  assert.deepEqual(operations, ['GetTokensFromRefreshToken']);
  assert.notEqual(refreshed.accessToken.toString(), original.accessToken.toString());
  assert.notEqual(refreshed.idToken.toString(), original.idToken.toString());
  assert.notEqual(refreshed.accessToken.payload.jti, original.accessToken.payload.jti);
  // Same session: same user, same sign-in, same origin.
  assert.equal(refreshed.accessToken.payload.sub, original.accessToken.payload.sub);
  assert.equal(refreshed.accessToken.payload.auth_time, original.accessToken.payload.auth_time);
  assert.equal(refreshed.accessToken.payload.origin_jti, original.accessToken.payload.origin_jti);
  assert.equal(refreshed.idToken.payload.aud, clientId);
  // No rotation configured: Amplify keeps the refresh token it had.
  assert.equal(refreshTokenHeld(), refreshToken);
  // The refreshed tokens are good for the API.
  assert.equal((await getCurrentUser()).username, username);
  const { status, body } = await callCognito('GetUser', {
    AccessToken: refreshed.accessToken.toString(),
  });
  assert.equal(status, 200, JSON.stringify(body));
  assert.equal(body.Username, username);
});

test('updateUserAttributes changes a plain attribute at once and e-mail after confirmation', async () => {
  const { poolId, username, email } = await signedInUser();
  const newEmail = `new-${email}`;

  const result = await updateUserAttributes({
    userAttributes: { given_name: 'Mallory', email: newEmail },
  });
  assert.equal(result.given_name.isUpdated, true);
  assert.equal(result.given_name.nextStep.updateAttributeStep, 'DONE');
  // The pool auto-verifies e-mail, so a new address waits for its code.
  assert.equal(result.email.isUpdated, false);
  assert.equal(result.email.nextStep.updateAttributeStep, 'CONFIRM_ATTRIBUTE_WITH_CODE');
  assert.equal(result.email.nextStep.codeDeliveryDetails.deliveryMedium, 'EMAIL');
  assert.equal(result.email.nextStep.codeDeliveryDetails.attributeName, 'email');

  let attributes = await fetchUserAttributes();
  assert.equal(attributes.given_name, 'Mallory');
  assert.equal(attributes.email, newEmail);
  assert.equal(attributes.email_verified, 'false');

  const message = await lastMessage(poolId, username, 'update_user_attribute');
  assert.equal(message.destination, newEmail);
  await confirmUserAttribute({ userAttributeKey: 'email', confirmationCode: message.code });
  attributes = await fetchUserAttributes();
  assert.equal(attributes.email, newEmail);
  assert.equal(attributes.email_verified, 'true');
});

test('updatePassword (ChangePassword) needs the old password and replaces it', async () => {
  const { username } = await signedInUser();
  const newPassword = 'Changed-Horse-7!';

  await rejectsWith(
    updatePassword({ oldPassword: 'Wrong-Horse-9!', newPassword }),
    'NotAuthorizedException',
  );
  await rejectsWith(
    updatePassword({ oldPassword: PASSWORD, newPassword: 'short' }),
    'InvalidPasswordException',
  );
  await updatePassword({ oldPassword: PASSWORD, newPassword });

  await signOut();
  await rejectsWith(signIn({ username, password: PASSWORD }), 'NotAuthorizedException');
  assert.equal((await signIn({ username, password: newPassword })).nextStep.signInStep, 'DONE');
});

test('signOut() revokes the refresh token (RevokeToken)', async () => {
  const { clientId } = await signedInUser();
  const { tokens } = await fetchAuthSession();
  // Amplify only calls RevokeToken when the access token carries origin_jti.
  assert.ok(tokens.accessToken.payload.origin_jti, 'the access token has origin_jti');
  const refreshToken = refreshTokenHeld();
  assert.ok(refreshToken, 'Amplify holds a refresh token');

  operations.length = 0;
  await signOut();
  assert.ok(operations.includes('RevokeToken'), `operations: ${operations}`);
  // Amplify swallows sign-out errors, so check the effect directly.
  const { status, body } = await callCognito('GetTokensFromRefreshToken', {
    ClientId: clientId,
    RefreshToken: refreshToken,
  });
  assert.equal(status, 400, JSON.stringify(body));
  assert.equal(body.__type, 'NotAuthorizedException');
  // Tokens minted from the revoked refresh token are refused too.
  const getUser = await callCognito('GetUser', { AccessToken: tokens.accessToken.toString() });
  assert.equal(getUser.body.__type, 'NotAuthorizedException', JSON.stringify(getUser.body));
});

test('signOut({ global: true }) makes Keystep refuse the old access and refresh tokens', async () => {
  const { clientId, username } = await signedInUser();
  const accessToken = (await fetchAuthSession()).tokens.accessToken.toString();
  const refreshToken = refreshTokenHeld();
  assert.ok(refreshToken, 'Amplify holds a refresh token');
  // The token is good before.
  assert.equal((await callCognito('GetUser', { AccessToken: accessToken })).body.Username, username);

  operations.length = 0;
  await signOut({ global: true });
  assert.ok(operations.includes('GlobalSignOut'), `operations: ${operations}`);
  assert.equal(refreshTokenHeld(), null, 'Amplify forgot the tokens');

  const getUser = await callCognito('GetUser', { AccessToken: accessToken });
  assert.equal(getUser.status, 400);
  assert.equal(getUser.body.__type, 'NotAuthorizedException', JSON.stringify(getUser.body));
  const refresh = await callCognito('GetTokensFromRefreshToken', {
    ClientId: clientId,
    RefreshToken: refreshToken,
  });
  assert.equal(refresh.body.__type, 'NotAuthorizedException', JSON.stringify(refresh.body));
  // A new sign-in still works and gives a working token.
  assert.equal((await signIn({ username, password: PASSWORD })).nextStep.signInStep, 'DONE');
  const fresh = (await fetchAuthSession()).tokens.accessToken.toString();
  assert.equal((await callCognito('GetUser', { AccessToken: fresh })).status, 200);
});
