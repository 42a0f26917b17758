// VerifyAuthChallengeResponse for the classic secret-code challenge, written exactly as
// for AWS Lambda (Node.js runtime).

export const handler = async (event) => {
  const expected = event.request.privateChallengeParameters.answer;
  event.response.answerCorrect = event.request.challengeAnswer === expected;
  return event;
};
