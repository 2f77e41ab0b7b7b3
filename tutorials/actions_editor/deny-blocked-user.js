/**
 * Refuse a user whom an administrator marked as blocked in app_metadata (which only administrators can change).
 */
exports.onExecutePostLogin = async (event, api) => {
  if (event.user.app_metadata.blocked === true) {
    api.access.deny("Your account is blocked. Ask the workshop's instructor.");
  }
};
