// CreateAuthChallenge for the classic secret-code challenge, written exactly as for AWS
// Lambda (Node.js runtime). The first CUSTOM_CHALLENGE of a sign-in gets a fresh random
// six-digit code (a real function would e-mail or text it here); a retry after a wrong
// answer keeps the same code, carried from round to round in `challengeMetadata`.

import { randomInt } from 'node:crypto';

function maskEmail(email) {
  if (!email) return 'your inbox';
  const [name, domain] = email.split('@');
  return `${name.slice(0, 1)}***@${domain}`;
}

export const handler = async (event) => {
  if (event.request.challengeName !== 'CUSTOM_CHALLENGE') return event;

  const previous = (event.request.session || [])
    .filter((r) => r.challengeName === 'CUSTOM_CHALLENGE' && r.challengeMetadata)
    .pop();
  let code;
  if (previous) {
    code = previous.challengeMetadata.match(/CODE-(\d{6})/)[1];
  } else {
    code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    // sendEmail(event.request.userAttributes.email, code) in a real deployment.
  }

  // Shown to the client (Amplify: nextStep.additionalInfo).
  event.response.publicChallengeParameters = {
    hint: `Enter the 6-digit code sent to ${maskEmail(event.request.userAttributes.email)}`,
  };
  // Kept by Cognito, handed to VerifyAuthChallengeResponse.
  event.response.privateChallengeParameters = { answer: code };
  // Kept in the session, seen by the next Define/Create calls.
  event.response.challengeMetadata = `CODE-${code}`;
  return event;
};
