// Federation: one Keystep pool is the OpenID Connect identity provider of another. In
// Chromium, the second pool's sign-in page shows a button for the first; the browser signs in
// there, comes back through /oauth2/idpresponse, and the relying party (openid-client) gets
// tokens for the federated user `PoolA_<sub>`, who appears in ListUsers with the mapped
// attributes and the `identities` claim. A second sign-in updates the mapped attributes; an
// identity linked with AdminLinkProviderForUser signs in as the linked user.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';

import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminLinkProviderForUserCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  CreateIdentityProviderCommand,
  CreateUserPoolClientCommand,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
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
  rp = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>relying party</title>');
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

async function user(poolId, username, attributes) {
  await admin.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: username,
      MessageAction: 'SUPPRESS',
      UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
    }),
  );
  await admin.send(
    new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: PASSWORD, Permanent: true }),
  );
}

/** Pool A (the provider) with its user; pool B (the app's) trusting A; the RP's config for B. */
async function setUp() {
  const a = await createPool();
  const { UserPoolClient: upstream } = await admin.send(
    new CreateUserPoolClientCommand({
      UserPoolId: a.poolId,
      ClientName: 'pool-b-as-relying-party',
      GenerateSecret: true,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      CallbackURLs: [`${KEYSTEP_URL}/oauth2/idpresponse`],
      SupportedIdentityProviders: ['COGNITO'],
    }),
  );
  const aliceName = unique('alice');
  await user(a.poolId, aliceName, {
    email: `${aliceName}@upstream.example`,
    email_verified: 'true',
    name: 'Alice Upstream',
  });

  const b = await createPool();
  await admin.send(
    new CreateIdentityProviderCommand({
      UserPoolId: b.poolId,
      ProviderName: 'PoolA',
      ProviderType: 'OIDC',
      ProviderDetails: {
        client_id: upstream.ClientId,
        client_secret: upstream.ClientSecret,
        authorize_scopes: 'openid email profile',
        oidc_issuer: `${KEYSTEP_URL}/${a.poolId}`,
        attributes_request_method: 'GET',
      },
      AttributeMapping: { email: 'email', email_verified: 'email_verified', name: 'name' },
    }),
  );
  const { UserPoolClient: app } = await admin.send(
    new CreateUserPoolClientCommand({
      UserPoolId: b.poolId,
      ClientName: 'app',
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      CallbackURLs: [redirectUri],
      SupportedIdentityProviders: ['COGNITO', 'PoolA'],
    }),
  );
  const config = await oidc.discovery(new URL(`${KEYSTEP_URL}/${b.poolId}`), app.ClientId, undefined, oidc.None(), {
    execute: [oidc.allowInsecureRequests],
  });
  oidc.enableNonRepudiationChecks(config);
  return { a, b, aliceName, config };
}

/** B's sign-in page → the PoolA button → A's sign-in page → back at the RP; B's tokens. */
async function signInThroughPoolA(config, aliceName) {
  const verifier = oidc.randomPKCECodeVerifier();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'openid email profile',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    nonce,
  });
  await page.context().clearCookies();
  await page.goto(url.href);
  await page.click('a.provider:has-text("PoolA")');
  // Now on pool A's page (same host, another pool: the query names A's client).
  await page.waitForSelector('input[name=password]');
  assert.ok(page.url().includes('/login?'), page.url());
  await page.fill('input[name=username]', aliceName);
  await page.fill('input[name=password]', PASSWORD);
  await page.click('button[name=signInSubmitButton]');
  await page.waitForURL(`${redirectUri}?**`);
  return oidc.authorizationCodeGrant(config, new URL(page.url()), {
    pkceCodeVerifier: verifier,
    expectedNonce: nonce,
  });
}

test('a pool signs in through another pool as its OIDC provider; the federated user appears', async () => {
  const { a, b, aliceName, config } = await setUp();
  const tokens = await signInThroughPoolA(config, aliceName);
  const claims = tokens.claims();
  assert.match(claims['cognito:username'], /^PoolA_[0-9a-f-]{36}$/i);
  assert.equal(claims.email, `${aliceName}@upstream.example`);
  assert.equal(claims.name, 'Alice Upstream');
  assert.equal(claims.identities.length, 1);
  assert.equal(claims.identities[0].providerName, 'PoolA');
  assert.equal(claims.identities[0].providerType, 'OIDC');
  assert.equal(claims.identities[0].issuer, `${KEYSTEP_URL}/${a.poolId}`);

  const { Users } = await admin.send(new ListUsersCommand({ UserPoolId: b.poolId }));
  assert.equal(Users.length, 1);
  const federated = Users[0];
  assert.equal(federated.UserStatus, 'EXTERNAL_PROVIDER');
  const attrs = Object.fromEntries(federated.Attributes.map((x) => [x.Name, x.Value]));
  assert.equal(attrs.email, `${aliceName}@upstream.example`);
  assert.equal(attrs.name, 'Alice Upstream');

  // Mapped attributes follow the provider on the next sign-in.
  await admin.send(
    new AdminUpdateUserAttributesCommand({
      UserPoolId: a.poolId,
      Username: aliceName,
      UserAttributes: [{ Name: 'name', Value: 'Alice Renamed' }],
    }),
  );
  const again = await signInThroughPoolA(config, aliceName);
  assert.equal(again.claims().name, 'Alice Renamed');
  assert.equal(again.claims().sub, claims.sub, 'the same federated user');
  const after = await admin.send(new ListUsersCommand({ UserPoolId: b.poolId }));
  assert.equal(after.Users.length, 1);
});

test('an identity linked to an existing user signs in as that user', async () => {
  const { a, b, aliceName, config } = await setUp();
  const native = unique('native');
  await user(b.poolId, native, { email: `${native}@b.example`, email_verified: 'true' });
  // The identity at pool A is its user's `sub`. Linking must come before that identity
  // first signs in (Cognito does not merge an existing federated user).
  const upstreamUser = await admin.send(new AdminGetUserCommand({ UserPoolId: a.poolId, Username: aliceName }));
  const subject = upstreamUser.UserAttributes.find((x) => x.Name === 'sub').Value;
  await admin.send(
    new AdminLinkProviderForUserCommand({
      UserPoolId: b.poolId,
      DestinationUser: { ProviderName: 'Cognito', ProviderAttributeValue: native },
      SourceUser: { ProviderName: 'PoolA', ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: subject },
    }),
  );
  const linked = await signInThroughPoolA(config, aliceName);
  assert.equal(linked.claims()['cognito:username'], native);
  // No federated user was created.
  const { Users } = await admin.send(new ListUsersCommand({ UserPoolId: b.poolId }));
  assert.deepEqual(Users.map((u) => u.Username), [native]);
});
