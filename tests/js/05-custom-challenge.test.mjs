// Custom authentication with Amplify JS v6 against Keystep, the challenge implemented by
// unmodified Lambda-style handlers (tests/js/lambda/*.mjs) that Keystep calls as webhooks
// through the small host in tests/js/lambda/host.mjs, started in this process.
//
// The challenge is the classic secret code: CreateAuthChallenge makes a six-digit code
// (read here from the host's GET /codes/<username>, where a real deployment would e-mail
// it), VerifyAuthChallengeResponse compares, DefineAuthChallenge allows three tries and,
// with CUSTOM_WITH_SRP, has Keystep verify the password first.
//
// Signatures: the host checks X-Keystep-Signature for every pool whose trigger secret it
// knows; each pool's secret is read as an administrator would (GET /admin/trigger-secret),
// so every real call below is verified. A pool whose secret the host has wrong shows the
// refusal (Keystep's call is answered 401).

import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import {
  confirmSignIn,
  fetchAuthSession,
  getCurrentUser,
  signIn,
  signOut,
} from 'aws-amplify/auth';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
} from '@aws-sdk/client-cognito-identity-provider';

import { keystepSignature, startLambdaHost } from './lambda/host.mjs';
import * as createAuthChallenge from './lambda/createAuthChallenge.mjs';
import * as defineAuthChallenge from './lambda/defineAuthChallenge.mjs';
import * as verifyAuthChallengeResponse from './lambda/verifyAuthChallengeResponse.mjs';
import {
  PASSWORD,
  admin,
  createPool,
  deletePools,
  rejectsWith,
  triggerSecret,
  unique,
  useAmplify,
  wrongCode,
} from './support.mjs';

const host = await startLambdaHost({
  '/define': defineAuthChallenge.handler,
  '/create': createAuthChallenge.handler,
  '/verify': verifyAuthChallengeResponse.handler,
  // A DefineAuthChallenge that refuses everyone, as a function would by throwing.
  '/closed/define': async () => {
    throw new Error('Sign-in is closed');
  },
});

after(async () => {
  await deletePools();
  await host.close();
});

const CUSTOM_CHALLENGE_STEP = 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE';

/**
 * A pool whose Define/Create/Verify slots point at the host (`define` may name another
 * Define route), an app client allowing CUSTOM_AUTH, SRP and refresh, and a confirmed
 * user with a verified e-mail address.
 */
async function customAuthPool({ define = '/define' } = {}) {
  const pool = await createPool({
    pool: {
      LambdaConfig: {
        DefineAuthChallenge: `${host.url}${define}`,
        CreateAuthChallenge: `${host.url}/create`,
        VerifyAuthChallengeResponse: `${host.url}/verify`,
      },
    },
    client: {
      ExplicitAuthFlows: ['ALLOW_CUSTOM_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    },
  });
  host.setSecret(pool.poolId, await triggerSecret(pool.poolId));
  const username = unique('cora');
  await admin.send(
    new AdminCreateUserCommand({
      UserPoolId: pool.poolId,
      Username: username,
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: `${username}@example.com` },
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
  await useAmplify(pool);
  return { ...pool, username };
}

/** The code CreateAuthChallenge made for `username` last. */
async function codeOf(username) {
  return (await host.codes(username)).answer;
}

/** The events `route` received for `username`, oldest first. */
function eventsOf(route, username) {
  return host.calls
    .filter((c) => c.route === route && c.event.userName === username)
    .map((c) => c.event);
}

/** `request.session` of a Define event, as `NAME:result[:metadata]` strings. */
function sessionOf(event) {
  return event.request.session.map((r) =>
    [r.challengeName, r.challengeResult, r.challengeMetadata]
      .filter((x) => x !== undefined)
      .join(':'),
  );
}

test('CUSTOM_WITHOUT_SRP: a wrong code asks again, the right one signs in', async () => {
  const { poolId, clientId, username } = await customAuthPool();

  const first = await signIn({ username, options: { authFlowType: 'CUSTOM_WITHOUT_SRP' } });
  assert.equal(first.isSignedIn, false);
  assert.equal(first.nextStep.signInStep, CUSTOM_CHALLENGE_STEP);
  assert.equal(
    first.nextStep.additionalInfo.hint,
    `Enter the 6-digit code sent to ${username[0]}***@example.com`,
  );
  assert.equal(first.nextStep.additionalInfo.answer, undefined, 'private parameters stay private');
  const code = await codeOf(username);
  assert.match(code, /^\d{6}$/);

  const again = await confirmSignIn({ challengeResponse: 'wrong' });
  assert.equal(again.isSignedIn, false);
  assert.equal(again.nextStep.signInStep, CUSTOM_CHALLENGE_STEP);
  assert.match(again.nextStep.additionalInfo.hint, /6-digit code/);
  // The retry kept the code: Create read it back from the session's challengeMetadata.
  assert.equal(await codeOf(username), code);

  const done = await confirmSignIn({
    challengeResponse: code,
    options: { clientMetadata: { app: 'amplify-e2e' } },
  });
  assert.deepEqual(done, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  const user = await getCurrentUser();
  assert.equal(user.username, username);
  assert.equal(user.signInDetails.authFlowType, 'CUSTOM_WITHOUT_SRP');

  // The tokens are the pool's, and the refresh token works (ALLOW_REFRESH_TOKEN_AUTH).
  const { tokens } = await fetchAuthSession();
  assert.equal(tokens.idToken.payload.email, `${username}@example.com`);
  assert.equal(tokens.idToken.payload.aud, clientId);
  const refreshed = await fetchAuthSession({ forceRefresh: true });
  assert.notEqual(refreshed.tokens.accessToken.toString(), tokens.accessToken.toString());

  // What the functions saw.
  const defines = eventsOf('/define', username);
  assert.equal(defines.length, 3, 'Define: on InitiateAuth and after each answer');
  assert.deepEqual(defines.map(sessionOf), [
    [],
    [`CUSTOM_CHALLENGE:false:CODE-${code}`],
    [`CUSTOM_CHALLENGE:false:CODE-${code}`, `CUSTOM_CHALLENGE:true:CODE-${code}`],
  ]);
  for (const e of defines) {
    assert.equal(e.triggerSource, 'DefineAuthChallenge_Authentication');
    assert.equal(e.userPoolId, poolId);
    assert.equal(e.callerContext.clientId, clientId);
    assert.equal(e.request.userAttributes.email, `${username}@example.com`);
  }
  const verifies = eventsOf('/verify', username);
  assert.deepEqual(
    verifies.map((e) => e.request.challengeAnswer),
    ['wrong', code],
  );
  assert.deepEqual(verifies[1].request.privateChallengeParameters, { answer: code });
  assert.equal(verifies[1].request.clientMetadata?.app, 'amplify-e2e');
  assert.ok(
    host.calls
      .filter((c) => c.event.userName === username)
      .every((c) => c.signature === 'valid'),
    'every call Keystep made was signed with the pool\'s trigger secret',
  );
});

test('CUSTOM_WITH_SRP: the password is verified first (inside Amplify), then the code', async () => {
  const { username } = await customAuthPool();

  const step = await signIn({
    username,
    password: PASSWORD,
    options: { authFlowType: 'CUSTOM_WITH_SRP' },
  });
  assert.equal(step.isSignedIn, false);
  assert.equal(step.nextStep.signInStep, CUSTOM_CHALLENGE_STEP);
  assert.match(step.nextStep.additionalInfo.hint, /6-digit code/);
  const code = await codeOf(username);

  const done = await confirmSignIn({ challengeResponse: code });
  assert.deepEqual(done, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  const user = await getCurrentUser();
  assert.equal(user.username, username);
  assert.equal(user.signInDetails.authFlowType, 'CUSTOM_WITH_SRP');

  assert.deepEqual(eventsOf('/define', username).map(sessionOf), [
    ['SRP_A:true'],
    ['SRP_A:true', 'PASSWORD_VERIFIER:true'],
    ['SRP_A:true', 'PASSWORD_VERIFIER:true', `CUSTOM_CHALLENGE:true:CODE-${code}`],
  ]);

  // A wrong password never reaches the code.
  await signOut();
  const creates = eventsOf('/create', username).length;
  await rejectsWith(
    signIn({ username, password: 'Wrong-Horse-9!', options: { authFlowType: 'CUSTOM_WITH_SRP' } }),
    'NotAuthorizedException',
  );
  assert.equal(eventsOf('/create', username).length, creates, 'no code was made');
});

test('three wrong codes end the sign-in with NotAuthorizedException; a new sign-in works', async () => {
  const { username } = await customAuthPool();

  const first = await signIn({ username, options: { authFlowType: 'CUSTOM_WITHOUT_SRP' } });
  assert.equal(first.nextStep.signInStep, CUSTOM_CHALLENGE_STEP);
  const code = await codeOf(username);

  for (let attempt = 1; attempt <= 2; attempt += 1) {
    const again = await confirmSignIn({ challengeResponse: wrongCode(code) });
    assert.equal(again.nextStep.signInStep, CUSTOM_CHALLENGE_STEP, `after wrong answer ${attempt}`);
  }
  await rejectsWith(
    confirmSignIn({ challengeResponse: wrongCode(code) }),
    'NotAuthorizedException',
  );
  const lastDefine = eventsOf('/define', username).at(-1);
  assert.deepEqual(
    lastDefine.request.session.map((r) => r.challengeResult),
    [false, false, false],
  );

  // Starting over gives a new round (and, here, a new code) and the right code works.
  const retry = await signIn({ username, options: { authFlowType: 'CUSTOM_WITHOUT_SRP' } });
  assert.equal(retry.nextStep.signInStep, CUSTOM_CHALLENGE_STEP);
  const done = await confirmSignIn({ challengeResponse: await codeOf(username) });
  assert.equal(done.nextStep.signInStep, 'DONE');
  assert.equal((await getCurrentUser()).username, username);
});

test('a DefineAuthChallenge that throws: signIn rejects with UserLambdaValidationException', async () => {
  const { username } = await customAuthPool({ define: '/closed/define' });

  await rejectsWith(
    signIn({ username, options: { authFlowType: 'CUSTOM_WITHOUT_SRP' } }),
    'UserLambdaValidationException',
    /Sign-in is closed/,
  );
  await rejectsWith(
    signIn({ username, password: PASSWORD, options: { authFlowType: 'CUSTOM_WITH_SRP' } }),
    'UserLambdaValidationException',
    /Sign-in is closed/,
  );
  const calls = host.calls.filter((c) => c.event.userName === username);
  assert.deepEqual(
    calls.map((c) => [c.route, c.status]),
    [
      ['/closed/define', 500],
      ['/closed/define', 500],
    ],
  );

  // The trigger only concerns CUSTOM_AUTH: plain SRP sign-in is not affected.
  const plain = await signIn({ username, password: PASSWORD });
  assert.deepEqual(plain, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
});

test('the host refuses calls whose X-Keystep-Signature does not match the secret it knows', async () => {
  // Keystep signs with the pool's real trigger secret; the host is told another one.
  const { poolId, username } = await customAuthPool();
  host.setSecret(poolId, 'not-the-pools-trigger-secret');
  await rejectsWith(
    signIn({ username, options: { authFlowType: 'CUSTOM_WITHOUT_SRP' } }),
    'UserLambdaValidationException',
    /wrong signature/,
  );
  const refused = host.calls.filter((c) => c.event.userName === username);
  assert.deepEqual(
    refused.map((c) => [c.route, c.status, c.signature]),
    [['/define', 401, 'invalid']],
  );

  // The accepting side, with a secret known here: a correctly signed event is answered,
  // a tampered one or an unsigned one is not.
  const selfPool = 'us-east-1_SignCheck1';
  const secret = 'a-known-trigger-secret';
  host.setSecret(selfPool, secret);
  const event = {
    version: '1',
    region: 'us-east-1',
    userPoolId: selfPool,
    userName: 'self-test',
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'c' },
    triggerSource: 'VerifyAuthChallengeResponse_Authentication',
    request: {
      userAttributes: {},
      privateChallengeParameters: { answer: '123456' },
      challengeAnswer: '123456',
    },
    response: {},
  };
  const body = JSON.stringify(event);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const post = (payload, headers) =>
    fetch(`${host.url}/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: payload,
    });
  const signed = {
    'x-keystep-timestamp': timestamp,
    'x-keystep-signature': keystepSignature(secret, timestamp, body),
  };

  const ok = await post(body, signed);
  assert.equal(ok.status, 200);
  assert.equal((await ok.json()).response.answerCorrect, true);
  assert.equal((await post(body.replace('123456"}', '654321"}'), signed)).status, 401);
  assert.equal((await post(body, {})).status, 401);
  const stale = String(Number(timestamp) - 3600);
  assert.equal(
    (await post(body, {
      'x-keystep-timestamp': stale,
      'x-keystep-signature': keystepSignature(secret, stale, body),
    })).status,
    401,
  );
});
