// Sign-up, confirmation and the first password sign-ins with the unmodified Amplify JS v6
// library. Amplify is a singleton, so the scenarios run one after the other (node:test runs
// the tests of a file in order) and each one configures it for its own fresh pool.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import {
  confirmSignUp,
  fetchAuthSession,
  getCurrentUser,
  resendSignUpCode,
  signIn,
  signUp,
} from 'aws-amplify/auth';

import {
  PASSWORD,
  createPool,
  deletePools,
  jwtPayload,
  lastCode,
  lastMessage,
  rejectsWith,
  unique,
  useAmplify,
} from './support.mjs';

after(deletePools);

test('signUp, confirmSignUp with the e-mailed code, then signIn (SRP) signs in', async () => {
  const pool = await createPool();
  await useAmplify(pool);
  const username = unique('alice');
  const email = `${username}@example.com`;

  const signedUp = await signUp({
    username,
    password: PASSWORD,
    options: { userAttributes: { email } },
  });
  assert.equal(signedUp.isSignUpComplete, false);
  assert.equal(signedUp.nextStep.signUpStep, 'CONFIRM_SIGN_UP');
  // Amplify copies CodeDeliveryDetails; the address is masked, never sent whole.
  const delivery = signedUp.nextStep.codeDeliveryDetails;
  assert.equal(delivery.deliveryMedium, 'EMAIL');
  assert.equal(delivery.attributeName, 'email');
  assert.notEqual(delivery.destination, email);
  assert.match(delivery.destination, /^a.*@e/);
  assert.ok(signedUp.userId, 'userId (UserSub) is returned');

  const message = await lastMessage(pool.poolId, username, 'sign_up');
  assert.equal(message.destination, email);
  const confirmed = await confirmSignUp({ username, confirmationCode: message.code });
  assert.equal(confirmed.isSignUpComplete, true);
  assert.equal(confirmed.nextStep.signUpStep, 'DONE');

  const signedIn = await signIn({ username, password: PASSWORD });
  assert.deepEqual(signedIn, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });

  // getCurrentUser reads the cached tokens: username and sub must be the sign-up's.
  const user = await getCurrentUser();
  assert.equal(user.username, username);
  assert.equal(user.userId, signedUp.userId);
  assert.equal(user.signInDetails.authFlowType, 'USER_SRP_AUTH');

  const { tokens } = await fetchAuthSession();
  assert.ok(tokens?.accessToken && tokens?.idToken, 'both tokens are cached');
  const id = tokens.idToken.payload;
  assert.equal(id.email, email);
  assert.equal(id.email_verified, true);
  assert.equal(id.aud, pool.clientId);
  assert.equal(id.sub, signedUp.userId);
  assert.equal(id['cognito:username'], username);
  assert.equal(id.token_use, 'id');
  assert.equal(id.iss, `${process.env.KEYSTEP_URL.replace(/\/$/, '')}/${pool.poolId}`);
  const access = tokens.accessToken.payload;
  assert.equal(access.token_use, 'access');
  assert.equal(access.client_id, pool.clientId);
  assert.equal(access.username, username);
  // The raw JWT decodes to the same claims Amplify parsed.
  assert.equal(jwtPayload(tokens.accessToken.toString()).sub, signedUp.userId);
});

test('signIn of an unconfirmed user asks to confirm; resend, confirm, then sign in', async () => {
  const pool = await createPool();
  await useAmplify(pool);
  const username = unique('bob');
  await signUp({
    username,
    password: PASSWORD,
    options: { userAttributes: { email: `${username}@example.com` } },
  });
  const firstCode = await lastCode(pool.poolId, username, 'sign_up');

  // Cognito answers UserNotConfirmedException; Amplify turns it into a step.
  const attempt = await signIn({ username, password: PASSWORD });
  assert.deepEqual(attempt, { isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_UP' } });

  const resent = await resendSignUpCode({ username });
  assert.equal(resent.deliveryMedium, 'EMAIL');
  assert.equal(resent.attributeName, 'email');
  assert.match(resent.destination, /^b.*@e/);
  const code = await lastCode(pool.poolId, username, 'resend_code');
  // A resend issues a new code, and the old one stops working.
  if (code !== firstCode) {
    await rejectsWith(confirmSignUp({ username, confirmationCode: firstCode }), 'CodeMismatchException');
  }

  const confirmed = await confirmSignUp({ username, confirmationCode: code });
  assert.equal(confirmed.nextStep.signUpStep, 'DONE');
  const signedIn = await signIn({ username, password: PASSWORD });
  assert.equal(signedIn.nextStep.signInStep, 'DONE');
  assert.equal(signedIn.isSignedIn, true);
  assert.equal((await getCurrentUser()).username, username);
});

test('a wrong password is NotAuthorizedException, and so is an unknown user when existence errors are hidden', async () => {
  const pool = await createPool({ client: { PreventUserExistenceErrors: 'ENABLED' } });
  await useAmplify(pool);
  const username = unique('carol');
  await signUp({
    username,
    password: PASSWORD,
    options: { userAttributes: { email: `${username}@example.com` } },
  });
  await confirmSignUp({
    username,
    confirmationCode: await lastCode(pool.poolId, username, 'sign_up'),
  });

  await rejectsWith(
    signIn({ username, password: 'Wrong-Horse-9!' }),
    'NotAuthorizedException',
    /Incorrect username or password/,
  );
  // With PreventUserExistenceErrors=ENABLED an unknown user fails exactly like a wrong
  // password (Keystep simulates the SRP challenge), never UserNotFoundException.
  await rejectsWith(
    signIn({ username: unique('nobody'), password: PASSWORD }),
    'NotAuthorizedException',
    /Incorrect username or password/,
  );
  // The right password still works afterwards.
  const signedIn = await signIn({ username, password: PASSWORD });
  assert.equal(signedIn.nextStep.signInStep, 'DONE');
});

test("authFlowType 'USER_PASSWORD_AUTH' signs in on a client that allows it", async () => {
  const pool = await createPool({
    client: {
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    },
  });
  await useAmplify(pool);
  const username = unique('dave');
  await signUp({
    username,
    password: PASSWORD,
    options: { userAttributes: { email: `${username}@example.com` } },
  });
  await confirmSignUp({
    username,
    confirmationCode: await lastCode(pool.poolId, username, 'sign_up'),
  });

  // The client does not allow SRP, so Amplify's default flow is refused...
  await rejectsWith(signIn({ username, password: PASSWORD }), 'InvalidParameterException');
  // ...and the plain-password flow works.
  const signedIn = await signIn({
    username,
    password: PASSWORD,
    options: { authFlowType: 'USER_PASSWORD_AUTH' },
  });
  assert.equal(signedIn.nextStep.signInStep, 'DONE');
  const user = await getCurrentUser();
  assert.equal(user.username, username);
  assert.equal(user.signInDetails.authFlowType, 'USER_PASSWORD_AUTH');
  const { tokens } = await fetchAuthSession();
  assert.equal(tokens.idToken.payload.aud, pool.clientId);
});
