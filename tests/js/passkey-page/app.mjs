// The browser side of 08-passkeys.test.mjs: a page that uses the unmodified aws-amplify
// package, bundled by esbuild at test time and loaded from http://localhost. The test drives
// it through `window.keystep`; every call answers a plain JSON-able value (errors included,
// as `{ error: name, message }`) so the test sees what an app would.

import { Amplify } from 'aws-amplify';
import {
  associateWebAuthnCredential,
  deleteWebAuthnCredential,
  getCurrentUser,
  listWebAuthnCredentials,
  signIn,
  signOut,
} from 'aws-amplify/auth';

async function attempt(run) {
  try {
    return { ok: await run() };
  } catch (error) {
    return { error: error.name, message: error.message };
  }
}

window.keystep = {
  configure(config) {
    Amplify.configure({
      Auth: {
        Cognito: {
          userPoolId: config.poolId,
          userPoolClientId: config.clientId,
          userPoolEndpoint: config.endpoint,
        },
      },
    });
    return true;
  },
  signInWithPassword: (username, password) => attempt(() => signIn({ username, password })),
  signInWithPasskey: (username) =>
    attempt(() =>
      signIn({ username, options: { authFlowType: 'USER_AUTH', preferredChallenge: 'WEB_AUTHN' } }),
    ),
  associate: () => attempt(async () => (await associateWebAuthnCredential(), true)),
  list: () => attempt(() => listWebAuthnCredentials()),
  remove: (credentialId) => attempt(async () => (await deleteWebAuthnCredential({ credentialId }), true)),
  currentUser: () => attempt(async () => (await getCurrentUser()).username),
  signOut: () => attempt(async () => (await signOut(), true)),
};
