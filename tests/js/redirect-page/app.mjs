// The browser side of 09-hosted-ui.test.mjs: an app page using the unmodified aws-amplify
// package with `loginWith.oauth`, bundled by esbuild at test time and served from
// http://localhost. The configuration is kept in localStorage so that the page, loaded again
// by the redirect back from the hosted pages, configures Amplify before anything else and
// Amplify completes the sign-in itself (token request to the pool's domain).

import { Amplify } from 'aws-amplify';
import { fetchAuthSession, getCurrentUser, signInWithRedirect, signOut } from 'aws-amplify/auth';
import { Hub } from 'aws-amplify/utils';

const KEY = 'keystep-redirect-config';
const events = JSON.parse(sessionStorage.getItem('keystep-events') || '[]');

Hub.listen('auth', ({ payload }) => {
  events.push(payload.event);
  sessionStorage.setItem('keystep-events', JSON.stringify(events));
});

function configure(c) {
  Amplify.configure({
    Auth: {
      Cognito: {
        userPoolId: c.poolId,
        userPoolClientId: c.clientId,
        userPoolEndpoint: c.endpoint,
        loginWith: {
          oauth: {
            domain: c.domain,
            scopes: ['openid', 'email', 'phone', 'aws.cognito.signin.user.admin'],
            redirectSignIn: [`${window.location.origin}/`],
            redirectSignOut: [`${window.location.origin}/`],
            responseType: 'code',
          },
        },
      },
    },
  });
}

const saved = localStorage.getItem(KEY);
if (saved) configure(JSON.parse(saved));

async function attempt(run) {
  try {
    return { ok: await run() };
  } catch (error) {
    return { error: error.name, message: error.message };
  }
}

window.keystep = {
  configure(c) {
    localStorage.setItem(KEY, JSON.stringify(c));
    configure(c);
    return true;
  },
  events: () => events,
  // Both navigate away; the test waits for the browser to arrive where they lead.
  signIn: () => (signInWithRedirect().catch((e) => events.push(`error:${e.name}`)), true),
  signOut: () => (signOut().catch((e) => events.push(`error:${e.name}`)), true),
  session: () =>
    attempt(async () => {
      const s = await fetchAuthSession();
      return { id: s.tokens?.idToken?.payload ?? null, access: s.tokens?.accessToken?.payload ?? null };
    }),
  user: () => attempt(async () => (await getCurrentUser()).username),
};
