// A tiny webhook host for Lambda-style trigger handlers (Node's built-in `node:http`, no
// dependencies), started inside the test process on a free port.
//
// Keystep calls a pool's triggers as webhooks: it POSTs the event JSON a Lambda function
// would receive and expects the event back with `response` filled. This host lets the
// tests use handlers written exactly as for AWS Lambda,
//
//     export const handler = async (event) => { ...; return event; };
//
// by wrapping each one behind a route:
//
// * POST <route>: reads the JSON event, calls `await handler(event, context)` and answers
//   200 with the returned value as JSON. A thrown error answers HTTP 500 with
//   `{"errorType": err.name, "errorMessage": err.message, "trace": [...]}`, the shape
//   Lambda reports a function error in (Keystep turns it into UserLambdaValidationException).
// * Signature check: when the pool's trigger secret is known, `X-Keystep-Signature` must be
//   the hex HMAC-SHA256 (key: the secret string, message: `<X-Keystep-Timestamp>.<raw body>`)
//   and the timestamp within 5 minutes, else 401. When the secret is not known the call is
//   taken unchecked (recorded as `signature: 'unchecked'`). Secrets come from
//   `secretFor(poolId)` (option), `host.setSecret(poolId, secret)`, or the environment
//   variable KEYSTEP_TRIGGER_SECRET (one secret for every pool).
// * GET /codes/<username>: the `privateChallengeParameters` the last CreateAuthChallenge
//   call for that user returned (JSON), 404 when there was none. That is how a test reads
//   the secret code a real deployment would have e-mailed.
//
//   const host = await startLambdaHost({ '/define': define.handler, ... });
//   host.url            // http://127.0.0.1:<port>
//   host.calls          // [{ route, event, status, signature: 'valid' | 'unchecked' | 'invalid' }]
//   await host.close();

import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';

/** How far `X-Keystep-Timestamp` may be from this host's clock, in seconds. */
const MAX_SKEW_SECONDS = 300;

/** The largest request body read, in bytes. */
const MAX_BODY_BYTES = 1024 * 1024;

/** Hex HMAC-SHA256 of `<timestamp>.<body>` keyed with `secret` (Keystep's signature). */
export function keystepSignature(secret, timestamp, body) {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

/** Whether the signature headers are valid for `body` under `secret`; a reason if not. */
function checkSignature(secret, headers, body) {
  const timestamp = headers['x-keystep-timestamp'];
  const signature = headers['x-keystep-signature'];
  if (!timestamp || !signature) return 'missing X-Keystep-Timestamp or X-Keystep-Signature';
  if (!/^\d+$/.test(timestamp)) return 'X-Keystep-Timestamp is not Unix seconds';
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > MAX_SKEW_SECONDS) {
    return 'X-Keystep-Timestamp is too far from now';
  }
  const want = Buffer.from(keystepSignature(secret, timestamp, body), 'utf8');
  const got = Buffer.from(String(signature).toLowerCase(), 'utf8');
  if (want.length !== got.length || !timingSafeEqual(want, got)) return 'wrong signature';
  return null;
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res, status, value) {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

/** A Lambda-like context object (handlers written for Lambda may look at it). */
function lambdaContext(route) {
  const deadline = Date.now() + 5000;
  return {
    functionName: route.replace(/^\//, '').replaceAll('/', '-') || 'handler',
    functionVersion: '$LATEST',
    awsRequestId: randomUUID(),
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

/**
 * Starts the host on 127.0.0.1 and a free port. `routes` maps a path (`/define`) to a
 * Lambda-style handler. Options: `secretFor(poolId)` → the pool's trigger secret or
 * undefined (then the signature is not checked).
 */
export async function startLambdaHost(routes, { secretFor } = {}) {
  const secrets = new Map();
  const codes = new Map();
  const calls = [];
  const envSecret = process.env.KEYSTEP_TRIGGER_SECRET || undefined;
  const secretOf = (poolId) =>
    (poolId && secrets.get(poolId)) ?? secretFor?.(poolId) ?? envSecret;

  async function handle(req, res) {
    const path = new URL(req.url, 'http://host').pathname;

    if (req.method === 'GET' && path.startsWith('/codes/')) {
      const username = decodeURIComponent(path.slice('/codes/'.length));
      if (!codes.has(username)) return send(res, 404, { message: `no code for ${username}` });
      return send(res, 200, codes.get(username));
    }

    const handler = Object.hasOwn(routes, path) ? routes[path] : undefined;
    if (!handler) return send(res, 404, { message: `no handler at ${path}` });
    if (req.method !== 'POST') return send(res, 405, { message: 'POST the event' });

    const raw = await readBody(req);
    let event;
    try {
      event = JSON.parse(raw.toString('utf8'));
    } catch {
      return send(res, 400, { errorType: 'BadRequest', errorMessage: 'the body is not JSON' });
    }

    // The pool id is only used to pick the key; nothing is trusted before the check.
    const secret = secretOf(event?.userPoolId);
    const call = { route: path, event, status: 0, signature: 'unchecked' };
    calls.push(call);
    if (secret !== undefined) {
      const problem = checkSignature(secret, req.headers, raw);
      if (problem) {
        call.signature = 'invalid';
        call.status = 401;
        return send(res, 401, { errorType: 'Unauthorized', errorMessage: problem });
      }
      call.signature = 'valid';
    }

    let result;
    try {
      result = await handler(event, lambdaContext(path));
    } catch (err) {
      call.status = 500;
      call.error = err;
      return send(res, 500, {
        errorType: err?.name ?? 'Error',
        errorMessage: err?.message ?? String(err),
        trace: String(err?.stack ?? '').split('\n'),
      });
    }
    if (
      result?.triggerSource === 'CreateAuthChallenge_Authentication' &&
      result.response?.privateChallengeParameters
    ) {
      codes.set(result.userName, result.response.privateChallengeParameters);
    }
    call.status = 200;
    call.result = result;
    // A handler that returns nothing answers `null`, as Lambda does.
    return send(res, 200, result ?? null);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) send(res, 500, { errorType: 'HostError', errorMessage: err.message });
      else res.destroy();
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    calls,
    /** Checks signatures of `poolId`'s calls with `secret` from now on. */
    setSecret(poolId, secret) {
      secrets.set(poolId, secret);
    },
    /** The last privateChallengeParameters for `username` (what GET /codes/<username> answers). */
    async codes(username) {
      const res = await fetch(`${url}/codes/${encodeURIComponent(username)}`);
      if (res.status !== 200) throw new Error(`GET /codes/${username}: HTTP ${res.status}`);
      return res.json();
    },
    /** Stops listening and drops idle keep-alive connections. */
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
