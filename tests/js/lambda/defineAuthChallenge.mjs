// DefineAuthChallenge for the classic secret-code challenge, written exactly as for AWS
// Lambda (Node.js runtime). With SRP (CUSTOM_WITH_SRP) the password is checked first;
// then the user gets up to three tries at the code.

const MAX_ATTEMPTS = 3;

export const handler = async (event) => {
  const session = event.request.session || [];
  const last = session[session.length - 1];
  const wrongAnswers = session.filter(
    (r) => r.challengeName === 'CUSTOM_CHALLENGE' && r.challengeResult === false,
  ).length;

  if (last && last.challengeName === 'SRP_A') {
    // The client started with SRP: have Cognito verify the password.
    event.response.challengeName = 'PASSWORD_VERIFIER';
    event.response.issueTokens = false;
    event.response.failAuthentication = false;
  } else if (last && last.challengeName === 'PASSWORD_VERIFIER' && last.challengeResult === true) {
    // Right password: now the code.
    event.response.challengeName = 'CUSTOM_CHALLENGE';
    event.response.issueTokens = false;
    event.response.failAuthentication = false;
  } else if (last && last.challengeName === 'CUSTOM_CHALLENGE' && last.challengeResult === true) {
    // Right code.
    event.response.issueTokens = true;
    event.response.failAuthentication = false;
  } else if (
    event.request.userNotFound ||
    wrongAnswers >= MAX_ATTEMPTS ||
    (last && last.challengeResult === false && last.challengeName !== 'CUSTOM_CHALLENGE')
  ) {
    event.response.issueTokens = false;
    event.response.failAuthentication = true;
  } else {
    // First try, or another try after a wrong code.
    event.response.challengeName = 'CUSTOM_CHALLENGE';
    event.response.issueTokens = false;
    event.response.failAuthentication = false;
  }
  return event;
};
