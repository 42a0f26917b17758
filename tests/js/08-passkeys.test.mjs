// Passkeys in a real browser: Debian's Chromium, driven by playwright-core over CDP, with a
// virtual platform authenticator (WebAuthn.addVirtualAuthenticator), loads a page served here
// that uses the unmodified aws-amplify package (bundled by esbuild). Through Amplify:
// associateWebAuthnCredential → listWebAuthnCredentials → signIn with preferredChallenge
// WEB_AUTHN → DONE → deleteWebAuthnCredential → the passkey is no longer offered.
//
// CHROMIUM (default /usr/bin/chromium) names the browser; scripts/test and .ci/run install
// Debian's package.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  SetUserPoolMfaConfigCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

import { KEYSTEP_URL, PASSWORD, admin, callCognito, createPool, deletePools, unique } from './support.mjs';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const here = fileURLToPath(new URL('.', import.meta.url));

let browser;
let page;
let server;
let dir;

before(async () => {
  assert.ok(
    existsSync(CHROMIUM),
    `${CHROMIUM} is missing: the passkey test needs Debian's chromium (apt-get install chromium), or set CHROMIUM`,
  );
  dir = await mkdtemp(join(tmpdir(), 'keystep-passkey-'));
  await build({
    entryPoints: [join(here, 'passkey-page', 'app.mjs')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    outfile: join(dir, 'app.js'),
    logLevel: 'error',
  });
  const script = await readFile(join(dir, 'app.js'));
  // The page is served from localhost: a secure context, and the relying-party id.
  server = createServer((req, res) => {
    if (req.url === '/app.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(script);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>keystep passkeys</title><script type="module" src="/app.js"></script>');
  });
  await new Promise((resolve) => server.listen(0, 'localhost', resolve));
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu'],
  });
  page = await browser.newPage();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  await page.goto(`http://localhost:${server.address().port}/`);
  await page.waitForFunction(() => window.keystep !== undefined);
});

after(async () => {
  await browser?.close();
  server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  await deletePools();
});

/** Calls `window.keystep[name](...args)` in the page. */
function inPage(name, ...args) {
  return page.evaluate(([n, a]) => window.keystep[n](...a), [name, args]);
}

test('associate a passkey, list it, sign in with it, delete it', async () => {
  const pool = await createPool({
    pool: {
      UserPoolTier: 'ESSENTIALS',
      Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] } },
    },
    client: { ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] },
  });
  await admin.send(
    new SetUserPoolMfaConfigCommand({
      UserPoolId: pool.poolId,
      WebAuthnConfiguration: { RelyingPartyId: 'localhost', UserVerification: 'required' },
    }),
  );
  const username = unique('pk');
  await admin.send(
    new AdminCreateUserCommand({ UserPoolId: pool.poolId, Username: username, MessageAction: 'SUPPRESS' }),
  );
  await admin.send(
    new AdminSetUserPasswordCommand({ UserPoolId: pool.poolId, Username: username, Password: PASSWORD, Permanent: true }),
  );
  await inPage('configure', { ...pool, endpoint: KEYSTEP_URL });

  // Signed in with the password, the user registers a passkey on this device.
  const first = await inPage('signInWithPassword', username, PASSWORD);
  assert.equal(first.ok?.nextStep?.signInStep, 'DONE', JSON.stringify(first));
  const associated = await inPage('associate');
  assert.deepEqual(associated, { ok: true });
  const listed = await inPage('list');
  assert.equal(listed.ok.credentials.length, 1, JSON.stringify(listed));
  const credential = listed.ok.credentials[0];
  assert.equal(credential.relyingPartyId, 'localhost');
  assert.ok(credential.credentialId);

  // The passkey alone signs in: no password, no second factor.
  await inPage('signOut');
  const withPasskey = await inPage('signInWithPasskey', username);
  assert.equal(withPasskey.ok?.nextStep?.signInStep, 'DONE', JSON.stringify(withPasskey));
  assert.deepEqual(await inPage('currentUser'), { ok: username });
  // Twice: the sign counter advances and a fresh challenge is answered.
  await inPage('signOut');
  const again = await inPage('signInWithPasskey', username);
  assert.equal(again.ok?.nextStep?.signInStep, 'DONE', JSON.stringify(again));

  // Deleted, the passkey is no longer offered: the user is asked to choose another factor.
  const removed = await inPage('remove', credential.credentialId);
  assert.deepEqual(removed, { ok: true });
  assert.equal((await inPage('list')).ok.credentials.length, 0);
  await inPage('signOut');
  const refused = await inPage('signInWithPasskey', username);
  assert.equal(
    refused.ok?.nextStep?.signInStep,
    'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION',
    JSON.stringify(refused),
  );
  assert.deepEqual([...refused.ok.nextStep.availableChallenges].sort(), ['PASSWORD', 'PASSWORD_SRP']);
});

test('a passkey answer works once: replayed, or offered to a fresh challenge, it is refused', async () => {
  // The raw WEB_AUTHN answer Amplify sent, captured from the page, cannot be used twice.
  const pool = await createPool({
    pool: {
      UserPoolTier: 'ESSENTIALS',
      Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] } },
    },
    client: { ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] },
  });
  await admin.send(
    new SetUserPoolMfaConfigCommand({
      UserPoolId: pool.poolId,
      WebAuthnConfiguration: { RelyingPartyId: 'localhost' },
    }),
  );
  const username = unique('replay');
  await admin.send(
    new AdminCreateUserCommand({ UserPoolId: pool.poolId, Username: username, MessageAction: 'SUPPRESS' }),
  );
  await admin.send(
    new AdminSetUserPasswordCommand({ UserPoolId: pool.poolId, Username: username, Password: PASSWORD, Permanent: true }),
  );
  await inPage('signOut');
  await inPage('configure', { ...pool, endpoint: KEYSTEP_URL });
  assert.equal((await inPage('signInWithPassword', username, PASSWORD)).ok?.nextStep?.signInStep, 'DONE');
  assert.deepEqual(await inPage('associate'), { ok: true });
  await inPage('signOut');

  const captured = [];
  const listener = (request) => {
    if (request.headers()['x-amz-target']?.endsWith('RespondToAuthChallenge')) {
      captured.push(JSON.parse(request.postData()));
    }
  };
  page.on('request', listener);
  const signedIn = await inPage('signInWithPasskey', username);
  page.off('request', listener);
  assert.equal(signedIn.ok?.nextStep?.signInStep, 'DONE', JSON.stringify(signedIn));
  const answer = captured.find((body) => body.ChallengeName === 'WEB_AUTHN');
  assert.ok(answer, 'Amplify answered WEB_AUTHN');
  const replay = await callCognito('RespondToAuthChallenge', answer);
  assert.equal(replay.status, 400);
  assert.equal(replay.body.__type, 'NotAuthorizedException');

  // The same assertion offered to a fresh challenge does not answer it.
  const fresh = await callCognito('InitiateAuth', {
    AuthFlow: 'USER_AUTH',
    ClientId: pool.clientId,
    AuthParameters: { USERNAME: username, PREFERRED_CHALLENGE: 'WEB_AUTHN' },
  });
  assert.equal(fresh.body.ChallengeName, 'WEB_AUTHN', JSON.stringify(fresh.body));
  const options = JSON.parse(fresh.body.ChallengeParameters.CREDENTIAL_REQUEST_OPTIONS);
  for (const member of ['challenge', 'rpId', 'allowCredentials', 'userVerification']) {
    assert.ok(member in options, `${member} in CREDENTIAL_REQUEST_OPTIONS`);
  }
  const stale = await callCognito('RespondToAuthChallenge', { ...answer, Session: fresh.body.Session });
  assert.equal(stale.status, 400);
  assert.equal(stale.body.__type, 'NotAuthorizedException');
});
