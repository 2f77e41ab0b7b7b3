/**
 * Post-login Action: copy the user's email into the access token under our namespace.
 * @param {Event} event - who is logging in, into which application, for which API.
 * @param {PostLoginAPI} api - what the Action may change about the login.
 */
exports.onExecutePostLogin = async (event, api) => {
  const namespace = "https://playground.example/";
  if (event.authorization && event.user.email) {
    api.accessToken.setCustomClaim(`${namespace}email`, event.user.email);
    api.accessToken.setCustomClaim(`${namespace}email_verified`, Boolean(event.user.email_verified));
  }
};
