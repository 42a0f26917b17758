// A standard OpenID Connect relying party — the `openid-client` library, unmodified — against
// a Keystep pool: discovery, authorization code with PKCE (the browser step in Chromium, on
// the hosted sign-in page), ID token checks by the library itself (issuer, audience, nonce,
// state, and the signature against the pool's JWKS with non-repudiation checks on), userInfo,
// refresh, revocation; and the refusals a relying party can meet (reused code, wrong
// verifier, wrong client secret).

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';

import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import { chromium } from 'playwright-core';

import { KEYSTEP_URL, PASSWORD, admin, createPool, deletePools, unique } from './support.mjs';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

let browser;
let page;
let rp;
let redirectUri;

before(async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium, or set CHROMIUM`);
  // The relying party's callback: the browser lands here; the test reads the URL.
  rp = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>relying party</title><p>back at the relying party</p>');
  });
  await new Promise((resolve) => rp.listen(0, 'localhost', resolve));
  redirectUri = `http://localhost:${rp.address().port}/cb`;
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  page = await browser.newPage();
});

after(async () => {
  await browser?.close();
  rp?.close();
  await deletePools();
});

/** A pool, a confidential app client for the relying party, and a user. */
async function setUp() {
  const pool = await createPool();
  const { UserPoolClient } = await admin.send(
    new CreateUserPoolClientCommand({
      UserPoolId: pool.poolId,
      ClientName: 'relying-party',
      GenerateSecret: true,
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      CallbackURLs: [redirectUri],
      SupportedIdentityProviders: ['COGNITO'],
    }),
  );
  const username = unique('rp');
  await admin.send(
    new AdminCreateUserCommand({
      UserPoolId: pool.poolId,
      Username: username,
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: `${username}@example.com` },
        { Name: 'email_verified', Value: 'true' },
        { Name: 'name', Value: 'Relying Party User' },
      ],
    }),
  );
  await admin.send(
    new AdminSetUserPasswordCommand({ UserPoolId: pool.poolId, Username: username, Password: PASSWORD, Permanent: true }),
  );
  const issuer = new URL(`${KEYSTEP_URL}/${pool.poolId}`);
  const config = await oidc.discovery(
    issuer,
    UserPoolClient.ClientId,
    undefined,
    oidc.ClientSecretBasic(UserPoolClient.ClientSecret),
    { execute: [oidc.allowInsecureRequests] },
  );
  oidc.enableNonRepudiationChecks(config);
  return { pool, client: UserPoolClient, username, issuer, config };
}

/** The browser step: the hosted sign-in page, then back at the relying party. */
async function authorize(config, username, checks) {
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'openid email profile',
    code_challenge: await oidc.calculatePKCECodeChallenge(checks.verifier),
    code_challenge_method: 'S256',
    nonce: checks.nonce,
    state: checks.state,
  });
  await page.context().clearCookies();
  await page.goto(url.href);
  await page.waitForSelector('input[name=password]');
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', PASSWORD);
  await page.click('button[name=signInSubmitButton]');
  await page.waitForURL(`${redirectUri}?**`);
  return new URL(page.url());
}

function freshChecks() {
  return { verifier: oidc.randomPKCECodeVerifier(), nonce: oidc.randomNonce(), state: oidc.randomState() };
}

test('discovery, code with PKCE, ID token checked by the library, userInfo, refresh, revoke', async () => {
  const { client, username, issuer, config } = await setUp();
  const server = config.serverMetadata();
  assert.equal(server.issuer, issuer.href);
  assert.ok(server.code_challenge_methods_supported.includes('S256'));

  const checks = freshChecks();
  const callback = await authorize(config, username, checks);
  const tokens = await oidc.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: checks.verifier,
    expectedNonce: checks.nonce,
    expectedState: checks.state,
    idTokenExpected: true,
  });
  const claims = tokens.claims();
  assert.equal(claims.iss, issuer.href);
  assert.equal(claims.aud, client.ClientId);
  assert.equal(claims.nonce, checks.nonce);
  assert.equal(claims['cognito:username'], username);
  // And independently: the signature against the pool's published keys.
  const jwks = createRemoteJWKSet(new URL(server.jwks_uri));
  const verified = await jwtVerify(tokens.id_token, jwks, { issuer: issuer.href, audience: client.ClientId });
  assert.equal(verified.payload.sub, claims.sub);

  const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
  assert.equal(info.email, `${username}@example.com`);
  assert.equal(info.name, 'Relying Party User');

  const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token);
  assert.ok(refreshed.access_token);
  assert.equal(refreshed.claims().sub, claims.sub);

  await oidc.tokenRevocation(config, tokens.refresh_token);
  await assert.rejects(oidc.refreshTokenGrant(config, tokens.refresh_token), (e) => e.error === 'invalid_grant');

  // The same code again: invalid_grant.
  await assert.rejects(
    oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: checks.verifier,
      expectedNonce: checks.nonce,
      expectedState: checks.state,
    }),
    (e) => e.error === 'invalid_grant',
  );
});

test('a wrong verifier or a wrong client secret is refused', async () => {
  const { client, username, issuer } = await setUp();
  const wrongSecret = await oidc.discovery(issuer, client.ClientId, undefined, oidc.ClientSecretBasic('not-the-secret'), {
    execute: [oidc.allowInsecureRequests],
  });
  const config = await oidc.discovery(issuer, client.ClientId, undefined, oidc.ClientSecretBasic(client.ClientSecret), {
    execute: [oidc.allowInsecureRequests],
  });
  const checks = freshChecks();
  const callback = await authorize(config, username, checks);
  await assert.rejects(
    oidc.authorizationCodeGrant(wrongSecret, callback, {
      pkceCodeVerifier: checks.verifier,
      expectedNonce: checks.nonce,
      expectedState: checks.state,
    }),
    (e) => e.error === 'invalid_client',
  );
  const again = freshChecks();
  const second = await authorize(config, username, again);
  await assert.rejects(
    oidc.authorizationCodeGrant(config, second, {
      pkceCodeVerifier: oidc.randomPKCECodeVerifier(),
      expectedNonce: again.nonce,
      expectedState: again.state,
    }),
    (e) => e.error === 'invalid_grant',
  );
});
