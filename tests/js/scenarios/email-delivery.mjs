// Amplify JS against Keystep with a real SMTP relay: the codes come from the mailbox.
//
// Run by crates/cli/tests/delivery_smtp.rs, which starts `keystep serve` with
// KEYSTEP_SMTP_URL pointing at tests/python/smtp_sink.py and this environment:
//
//   KEYSTEP_URL            the server
//   KEYSTEP_MAILDIR        where the sink writes each message it accepted, as <n>.json
//   KEYSTEP_EMAIL_FROM     the server's email_from
//   AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_REGION   admin credentials
//
// Exits non-zero on the first failed expectation.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { Amplify } from 'aws-amplify';
import {
  confirmSignIn,
  confirmSignUp,
  fetchMFAPreference,
  signIn,
  signOut,
  signUp,
  updateMFAPreference,
} from 'aws-amplify/auth';
import { ConsoleLogger } from 'aws-amplify/utils';
import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteUserPoolCommand,
  SetUserPoolMfaConfigCommand,
} from '@aws-sdk/client-cognito-identity-provider';

const URL = process.env.KEYSTEP_URL.replace(/\/$/, '');
const MAILDIR = process.env.KEYSTEP_MAILDIR;
const FROM = process.env.KEYSTEP_EMAIL_FROM;
const PASSWORD = 'Correct-Horse-9!';
ConsoleLogger.LOG_LEVEL = 'ERROR';

const admin = new CognitoIdentityProviderClient({
  endpoint: URL,
  region: process.env.AWS_REGION || 'us-east-1',
  credentials: {
    accessKeyId: process.env.AWS_ACCESS_KEY_ID,
    secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY,
  },
  maxAttempts: 1,
});

/** The next message to `to` that was not seen yet, waiting up to 20 s for it. */
const seen = new Set();
async function nextMail(to) {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const names = (await readdir(MAILDIR).catch(() => []))
      .filter((n) => n.endsWith('.json'))
      .sort((a, b) => parseInt(a, 10) - parseInt(b, 10));
    for (const name of names) {
      if (seen.has(name)) continue;
      const mail = JSON.parse(await readFile(join(MAILDIR, name), 'utf8'));
      if (mail.rcpt_tos.includes(to)) {
        seen.add(name);
        return mail;
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no e-mail to ${to} arrived within 20 s`);
}

function codeIn(text) {
  const match = /\b(\d{6})\b/.exec(text);
  assert.ok(match, `no six-digit code in ${JSON.stringify(text)}`);
  return match[1];
}

const { UserPool } = await admin.send(
  new CreateUserPoolCommand({
    PoolName: `smtp-${randomUUID().slice(0, 8)}`,
    AutoVerifiedAttributes: ['email'],
    VerificationMessageTemplate: {
      DefaultEmailOption: 'CONFIRM_WITH_CODE',
      EmailMessage: 'Hello {username}, your confirmation code is {####}.',
      EmailSubject: 'Welcome to the test app',
    },
    EmailConfiguration: {
      EmailSendingAccount: 'COGNITO_DEFAULT',
      ReplyToEmailAddress: 'help@example.com',
    },
  }),
);
// E-mail MFA is set with SetUserPoolMfaConfig (CreateUserPool has no member for it).
await admin.send(
  new SetUserPoolMfaConfigCommand({
    UserPoolId: UserPool.Id,
    MfaConfiguration: 'OPTIONAL',
    EmailMfaConfiguration: {
      Message: '<p>Your sign-in code is <b>{####}</b></p>',
      Subject: 'Your sign-in code',
    },
  }),
);
const { UserPoolClient } = await admin.send(
  new CreateUserPoolClientCommand({
    UserPoolId: UserPool.Id,
    ClientName: 'web',
    ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  }),
);

try {
  Amplify.configure({
    Auth: {
      Cognito: {
        userPoolId: UserPool.Id,
        userPoolClientId: UserPoolClient.ClientId,
        userPoolEndpoint: URL,
      },
    },
  });
  const username = `user${randomUUID().slice(0, 8)}`;
  const email = `${username}@example.com`;

  // Sign-up: the confirmation code arrives by e-mail, with the pool's template.
  const up = await signUp({ username, password: PASSWORD, options: { userAttributes: { email } } });
  assert.equal(up.nextStep.signUpStep, 'CONFIRM_SIGN_UP');
  assert.equal(up.nextStep.codeDeliveryDetails.deliveryMedium, 'EMAIL');
  const welcome = await nextMail(email);
  assert.equal(welcome.subject, 'Welcome to the test app');
  assert.ok(welcome.text.includes(`Hello ${username},`), welcome.text);
  assert.equal(welcome.html, null, 'a text template is sent as text only');
  assert.equal(welcome.from, FROM);
  assert.equal(welcome.reply_to, 'help@example.com');
  assert.ok(welcome.tls && welcome.auth, 'sent over STARTTLS, authenticated');
  const confirmed = await confirmSignUp({ username, confirmationCode: codeIn(welcome.text) });
  assert.equal(confirmed.isSignUpComplete, true);

  // Turn e-mail MFA on, then sign in again: the code comes by e-mail, as HTML + text.
  const first = await signIn({ username, password: PASSWORD });
  assert.equal(first.isSignedIn, true);
  await updateMFAPreference({ email: 'PREFERRED' });
  assert.ok((await fetchMFAPreference()).enabled?.includes('EMAIL'));
  await signOut();

  const second = await signIn({ username, password: PASSWORD });
  assert.equal(second.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
  const mfa = await nextMail(email);
  assert.equal(mfa.subject, 'Your sign-in code');
  const code = codeIn(mfa.text);
  assert.ok(mfa.html.includes(`<b>${code}</b>`), mfa.html);
  assert.ok(!mfa.text.includes('<b>'), `the text part has no markup: ${mfa.text}`);
  const done = await confirmSignIn({ challengeResponse: code });
  assert.equal(done.isSignedIn, true);
  await signOut();

  // With a real sender configured, the development outbox keeps nothing.
  const basic = Buffer.from(
    `${process.env.AWS_ACCESS_KEY_ID}:${process.env.AWS_SECRET_ACCESS_KEY}`,
  ).toString('base64');
  const res = await fetch(`${URL}/admin/outbox?pool_id=${UserPool.Id}`, {
    headers: { Authorization: `Basic ${basic}` },
  });
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), []);
  console.log('e-mail delivery with Amplify: ok');
} finally {
  await admin.send(new DeleteUserPoolCommand({ UserPoolId: UserPool.Id })).catch(() => {});
}
