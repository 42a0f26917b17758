// Amplify's `signInWithRedirect` through Keystep's hosted pages in a real browser (Debian's
// Chromium driven by playwright-core): the app page → /oauth2/authorize → /login → password →
// SMS code (read from the outbox) → back in the app, where the unmodified aws-amplify trades
// the code (with PKCE) at /oauth2/token; then `signOut` goes through /logout.
//
// Amplify always speaks HTTPS to `oauth.domain`, so the pool's domain `auth.keystep.test` is a
// TLS-terminating proxy started here (a throwaway self-signed certificate made with openssl)
// in front of the in-process Keystep; Chromium resolves the name to it.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { request as httpRequest } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  SetUserPoolMfaConfigCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

import { KEYSTEP_URL, PASSWORD, admin, createPool, deletePools, lastCode, unique } from './support.mjs';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const DOMAIN = 'auth.keystep.test';
const here = fileURLToPath(new URL('.', import.meta.url));

let browser;
let context;
let page;
let appServer;
let proxy;
let dir;
let origin;

/** An HTTPS proxy to Keystep that keeps the Host header and says the browser used HTTPS. */
async function startProxy() {
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1',
    '-subj', `/CN=${DOMAIN}`, '-addext', `subjectAltName=DNS:${DOMAIN}`,
    '-keyout', key, '-out', cert,
  ], { stdio: 'ignore' });
  const target = new URL(KEYSTEP_URL);
  const server = createHttpsServer({ key: await readFile(key), cert: await readFile(cert) }, (req, res) => {
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, 'x-forwarded-proto': 'https' },
      },
      (up) => {
        res.writeHead(up.statusCode, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

before(async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium, or set CHROMIUM`);
  dir = await mkdtemp(join(tmpdir(), 'keystep-hosted-'));
  await build({
    entryPoints: [join(here, 'redirect-page', 'app.mjs')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    outfile: join(dir, 'app.js'),
    logLevel: 'error',
  });
  const script = await readFile(join(dir, 'app.js'));
  appServer = createServer((req, res) => {
    if (req.url === '/app.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(script);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>keystep app</title><script type="module" src="/app.js"></script>');
  });
  await new Promise((resolve) => appServer.listen(0, 'localhost', resolve));
  origin = `http://localhost:${appServer.address().port}`;
  proxy = await startProxy();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      `--host-resolver-rules=MAP ${DOMAIN}:443 127.0.0.1:${proxy.address().port}`,
    ],
  });
  context = await browser.newContext({ ignoreHTTPSErrors: true });
  page = await context.newPage();
});

after(async () => {
  await browser?.close();
  appServer?.close();
  proxy?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  await deletePools();
});

/** Calls `window.keystep[name](...args)` once the app page has loaded. */
async function inPage(name, ...args) {
  await page.waitForFunction(() => window.keystep !== undefined);
  return page.evaluate(([n, a]) => window.keystep[n](...a), [name, args]);
}

test('signInWithRedirect: hosted password and SMS code, back in the app with tokens; signOut through /logout', async () => {
  const pool = await createPool();
  await admin.send(
    new SetUserPoolMfaConfigCommand({
      UserPoolId: pool.poolId,
      MfaConfiguration: 'ON',
      SmsMfaConfiguration: {
        SmsAuthenticationMessage: 'Your sign-in code is {####}',
        SmsConfiguration: { SnsCallerArn: 'arn:aws:iam::000000000000:role/keystep-sms', ExternalId: 'ext' },
      },
    }),
  );
  const { UserPoolClient } = await admin.send(
    new CreateUserPoolClientCommand({
      UserPoolId: pool.poolId,
      ClientName: 'hosted-web',
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'phone', 'aws.cognito.signin.user.admin'],
      CallbackURLs: [`${origin}/`],
      LogoutURLs: [`${origin}/`],
      SupportedIdentityProviders: ['COGNITO'],
    }),
  );
  const clientId = UserPoolClient.ClientId;
  const username = unique('hosted');
  await admin.send(
    new AdminCreateUserCommand({
      UserPoolId: pool.poolId,
      Username: username,
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: `${username}@example.com` },
        { Name: 'email_verified', Value: 'true' },
        { Name: 'phone_number', Value: '+15555550123' },
        { Name: 'phone_number_verified', Value: 'true' },
      ],
    }),
  );
  await admin.send(
    new AdminSetUserPasswordCommand({ UserPoolId: pool.poolId, Username: username, Password: PASSWORD, Permanent: true }),
  );

  await page.goto(`${origin}/`);
  await inPage('configure', { poolId: pool.poolId, clientId, endpoint: KEYSTEP_URL, domain: DOMAIN });
  await inPage('signIn');

  // The hosted sign-in page, on the pool's domain, with Cognito's field names.
  await page.waitForURL(`https://${DOMAIN}/login?**`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', PASSWORD);
  await page.click('button[name=signInSubmitButton]');

  // The SMS code, from the outbox.
  await page.waitForSelector('input[name=code]');
  assert.match(await page.textContent('main'), /text message/);
  const code = await lastCode(pool.poolId, username, 'authentication');
  await page.fill('input[name=code]', code);
  await page.click('button[type=submit]');

  // Back in the app: Amplify redeems the code and reports the sign-in.
  await page.waitForURL(`${origin}/**`);
  await page.waitForFunction(
    () => window.keystep !== undefined && window.keystep.events().includes('signInWithRedirect'),
    null,
    { timeout: 15000 },
  );
  assert.ok(!(await inPage('events')).includes('signInWithRedirect_failure'));
  const session = await inPage('session');
  assert.equal(session.ok?.id?.['cognito:username'], username, JSON.stringify(session));
  assert.equal(session.ok.id.email, `${username}@example.com`);
  assert.equal(session.ok.id.aud, clientId);
  assert.ok(session.ok.id.at_hash, 'hosted ID tokens carry at_hash');
  assert.deepEqual(session.ok.access.scope.split(' ').sort(), ['aws.cognito.signin.user.admin', 'email', 'openid', 'phone']);
  assert.equal(session.ok.access.username, username);
  assert.deepEqual(await inPage('user'), { ok: username });

  // signOut: Amplify revokes its refresh token, then sends the browser through /logout.
  await inPage('signOut');
  await page.waitForURL((url) => url.href.startsWith(`${origin}/`) && !url.search.includes('code='));
  await page.waitForFunction(() => window.keystep !== undefined && window.keystep.events().includes('signedOut'), null, {
    timeout: 15000,
  });
  assert.equal((await inPage('user')).error, 'UserUnAuthenticatedException');

  // The pages' session ended with /logout: signing in again asks for the password.
  await inPage('signIn');
  await page.waitForURL(`https://${DOMAIN}/login?**`);
  assert.ok(await page.isVisible('input[name=password]'));
});
