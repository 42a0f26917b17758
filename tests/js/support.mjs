// Helpers shared by the Amplify end-to-end tests (tests/js/*.test.mjs).
//
// The suite talks to a running Keystep server; crates/server/tests/e2e_amplify.rs starts one
// in-process and runs `node --test` here with this environment:
//
//   KEYSTEP_URL            base URL of the Cognito API, e.g. http://127.0.0.1:40123
//   KEYSTEP_CLOCK_URL      test-only endpoint: POST /advance?seconds=N moves the server clock
//   AWS_ACCESS_KEY_ID      admin credentials (SigV4 for admin operations, Basic for the outbox)
//   AWS_SECRET_ACCESS_KEY
//   AWS_REGION             us-east-1
//
// Amplify itself is used exactly as an app would: `Amplify.configure` with
// `userPoolEndpoint` pointing at Keystep. No shim is needed in Node 20: Amplify finds
// `fetch` and `crypto.getRandomValues` on globalThis, and without `window.localStorage` /
// `sessionStorage` it keeps tokens and sign-in state in memory.

import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';

import { Amplify } from 'aws-amplify';
import { signOut } from 'aws-amplify/auth';
import { ConsoleLogger } from 'aws-amplify/utils';
import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';

function requireEnv(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `environment variable ${name} is not set: run this suite through scripts/test ` +
        '(or `cargo test -p keystep-server --test e2e_amplify`)',
    );
  }
  return value;
}

export const KEYSTEP_URL = requireEnv('KEYSTEP_URL').replace(/\/$/, '');
const CLOCK_URL = requireEnv('KEYSTEP_CLOCK_URL').replace(/\/$/, '');
const ACCESS_KEY_ID = requireEnv('AWS_ACCESS_KEY_ID');
const SECRET_ACCESS_KEY = requireEnv('AWS_SECRET_ACCESS_KEY');
const REGION = process.env.AWS_REGION || 'us-east-1';

/** A password that satisfies Cognito's default policy. */
export const PASSWORD = 'Correct-Horse-9!';

/** The official AWS SDK v3 client, signed with the admin key: for setting pools and users up. */
export const admin = new CognitoIdentityProviderClient({
  endpoint: KEYSTEP_URL,
  region: REGION,
  credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY },
  // A failure must show at once, not after retries.
  maxAttempts: 1,
});

/** `prefix-<10 hex>`: names never collide between scenarios. */
export function unique(prefix) {
  return `${prefix}-${randomUUID().replaceAll('-', '').slice(0, 10)}`;
}

// Every `Amplify.configure` with a `userPoolEndpoint` logs a warning that the endpoint is
// not AWS's: expected here, and it would bury the test output. Errors still show.
ConsoleLogger.LOG_LEVEL = 'ERROR';

const createdPools = [];

/**
 * A fresh pool and app client (so scenarios never see each other's users or settings).
 * `pool` / `client` are extra members of CreateUserPool / CreateUserPoolClient.
 */
export async function createPool({ pool = {}, client = {} } = {}) {
  const { UserPool } = await admin.send(
    new CreateUserPoolCommand({
      PoolName: unique('amplify'),
      AutoVerifiedAttributes: ['email'],
      ...pool,
    }),
  );
  createdPools.push(UserPool.Id);
  const { UserPoolClient } = await admin.send(
    new CreateUserPoolClientCommand({
      UserPoolId: UserPool.Id,
      ClientName: 'amplify-web',
      // Amplify's default flow is USER_SRP_AUTH and it refreshes with the refresh token.
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      ...client,
    }),
  );
  return { poolId: UserPool.Id, clientId: UserPoolClient.ClientId };
}

/** Deletes the pools this file created (call from `after`). */
export async function deletePools() {
  for (const id of createdPools.splice(0)) {
    await admin.send(new DeleteUserPoolCommand({ UserPoolId: id })).catch(() => {});
  }
}

/**
 * Points the Amplify singleton at a pool, leaving whoever was signed in before signed out
 * (Amplify refuses `signIn` while a user is signed in, and keeps tokens per client id).
 */
export async function useAmplify({ poolId, clientId }) {
  await signOut().catch(() => {});
  Amplify.configure({
    Auth: {
      Cognito: {
        userPoolId: poolId,
        userPoolClientId: clientId,
        userPoolEndpoint: KEYSTEP_URL,
      },
    },
  });
}

// ---- outbox ---------------------------------------------------------------------------------

/** The messages Keystep "sent" to a user of a pool, oldest first (GET /admin/outbox). */
export async function outbox(poolId, username) {
  const query = new URLSearchParams({ pool_id: poolId, username });
  const basic = Buffer.from(`${ACCESS_KEY_ID}:${SECRET_ACCESS_KEY}`).toString('base64');
  const res = await fetch(`${KEYSTEP_URL}/admin/outbox?${query}`, {
    headers: { Authorization: `Basic ${basic}` },
  });
  const text = await res.text();
  assert.equal(res.status, 200, `outbox: HTTP ${res.status} ${text}`);
  const entries = JSON.parse(text);
  assert.ok(Array.isArray(entries), 'the outbox answers a JSON array');
  return entries;
}

/** A pool's trigger secret, as an administrator reads it (GET /admin/trigger-secret). */
export async function triggerSecret(poolId) {
  const basic = Buffer.from(`${ACCESS_KEY_ID}:${SECRET_ACCESS_KEY}`).toString('base64');
  const res = await fetch(
    `${KEYSTEP_URL}/admin/trigger-secret?${new URLSearchParams({ pool_id: poolId })}`,
    { headers: { Authorization: `Basic ${basic}` } },
  );
  const text = await res.text();
  assert.equal(res.status, 200, `trigger-secret: HTTP ${res.status} ${text}`);
  return JSON.parse(text).TriggerSecret;
}

/**
 * The newest message to the user (optionally of one `purpose`: sign_up, resend_code,
 * forgot_password, admin_create_user, update_user_attribute, authentication, ...) that
 * carries a code; fails when there is none.
 */
export async function lastMessage(poolId, username, purpose) {
  const entries = (await outbox(poolId, username)).filter(
    (e) => e.code && (!purpose || e.purpose === purpose),
  );
  assert.ok(entries.length > 0, `no ${purpose ?? ''} code in the outbox for ${username}`);
  return entries.at(-1);
}

/** The code of `lastMessage`. */
export async function lastCode(poolId, username, purpose) {
  return (await lastMessage(poolId, username, purpose)).code;
}

/** A six-digit code that is certainly not `code`. */
export function wrongCode(code) {
  return String((Number(code) + 1) % 1_000_000).padStart(6, '0');
}

// ---- clock ----------------------------------------------------------------------------------

/** Moves the server's clock `seconds` forward; answers the server's time in ms. */
export async function advanceClock(seconds) {
  const res = await fetch(`${CLOCK_URL}/advance?seconds=${seconds}`, { method: 'POST' });
  assert.equal(res.status, 200, `clock: HTTP ${res.status}`);
  return Number(await res.text());
}

/** The server's time in ms (it follows the wall clock plus whatever it was advanced by). */
export function serverNow() {
  return advanceClock(0);
}

// ---- TOTP (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits, base32 secret) -------------------

function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out = [];
  for (const ch of text.replace(/=+$/, '').toUpperCase()) {
    const index = alphabet.indexOf(ch);
    if (index < 0) throw new Error(`not base32: ${ch}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The TOTP code of time step `step` (= floor(unix seconds / 30)). */
export function totpAt(secretBase32, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32Decode(secretBase32)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 1_000_000).padStart(6, '0');
}

/** The current TOTP time step by the *server's* clock (the clock may have been advanced). */
export async function currentStep() {
  return Math.floor((await serverNow()) / 30_000);
}

// ---- tokens and raw calls -------------------------------------------------------------------

/** The payload of a JWT (no verification: the tests only read claims). */
export function jwtPayload(jwt) {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());
}

/**
 * An unsigned Cognito call made directly (not through Amplify), e.g. GetUser with an access
 * token. Answers `{ status, body }`; errors keep Cognito's `__type` in `body.__type`.
 */
export async function callCognito(operation, body) {
  const res = await fetch(KEYSTEP_URL, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': `AWSCognitoIdentityProviderService.${operation}`,
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

/**
 * Asserts that `promise` rejects with an error whose `name` is `name` (or one of the names
 * in an array) and whose `message` matches `message`, when given.
 */
export async function rejectsWith(promise, name, message) {
  const names = Array.isArray(name) ? name : [name];
  await assert.rejects(promise, (error) => {
    assert.ok(
      names.includes(error.name),
      `expected ${names.join(' or ')}, got ${error.name}: ${error.message}`,
    );
    if (message) assert.match(error.message, message);
    return true;
  });
}
