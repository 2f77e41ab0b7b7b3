"""Post-login Actions: the JavaScript engine and the child process that runs them."""
