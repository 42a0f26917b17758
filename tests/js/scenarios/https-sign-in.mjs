// Amplify JS over HTTPS: sign-in (SRP) against `keystep serve` with a certificate from a
// test CA that Node trusts through NODE_EXTRA_CA_CERTS, exactly as an app on a device
// trusts a real one.
//
// Run by crates/cli/tests/https.rs with KEYSTEP_URL (https://127.0.0.1:PORT),
// KEYSTEP_POOL_ID, KEYSTEP_CLIENT_ID, KEYSTEP_USERNAME and KEYSTEP_PASSWORD.

import assert from 'node:assert/strict';

import { Amplify } from 'aws-amplify';
import { fetchAuthSession, getCurrentUser, signIn, signOut } from 'aws-amplify/auth';
import { ConsoleLogger } from 'aws-amplify/utils';

ConsoleLogger.LOG_LEVEL = 'ERROR';
const url = process.env.KEYSTEP_URL;
assert.ok(url.startsWith('https://'), url);

Amplify.configure({
  Auth: {
    Cognito: {
      userPoolId: process.env.KEYSTEP_POOL_ID,
      userPoolClientId: process.env.KEYSTEP_CLIENT_ID,
      userPoolEndpoint: url,
    },
  },
});

const result = await signIn({
  username: process.env.KEYSTEP_USERNAME,
  password: process.env.KEYSTEP_PASSWORD,
});
assert.equal(result.isSignedIn, true, JSON.stringify(result.nextStep));
const session = await fetchAuthSession();
assert.equal(session.tokens.idToken.payload.iss, `${url}/${process.env.KEYSTEP_POOL_ID}`);
const user = await getCurrentUser();
assert.equal(user.signInDetails.loginId, process.env.KEYSTEP_USERNAME);
await signOut();
console.log('Amplify over HTTPS: ok');
