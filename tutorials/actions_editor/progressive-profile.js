/**
 * Progressive profiling: at a login where the profile lacks a favorite color, send the user to a page of your
 * application that asks for it, then keep the answer in user_metadata when the page sends them back.
 */
const PROFILE_PAGE = "http://localhost:3000/complete-profile";

exports.onExecutePostLogin = async (event, api) => {
  if (event.user.user_metadata.favorite_color) return;
  const token = api.redirect.encodeToken({
    secret: event.secrets.PROFILE_SECRET,
    expiresInSeconds: 300,
    payload: { email: event.user.email },
  });
  api.redirect.sendUserTo(PROFILE_PAGE, { query: { session_token: token } });
};

// The page sends the browser back to /continue?state=...&session_token=<a token it signed with the same secret>.
exports.onContinuePostLogin = async (event, api) => {
  const answer = api.redirect.validateToken({ secret: event.secrets.PROFILE_SECRET });
  api.user.setUserMetadata("favorite_color", answer.favorite_color);
  api.idToken.setCustomClaim("https://playground.example/favorite_color", answer.favorite_color);
};
