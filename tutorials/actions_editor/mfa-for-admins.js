/**
 * Ask for multi-factor authentication when an administrator logs in, and only then.
 */
exports.onExecutePostLogin = async (event, api) => {
  const roles = event.authorization ? event.authorization.roles : [];
  if (roles.includes("admin")) {
    api.multifactor.enable("any", { allowRememberBrowser: false });
  }
};
