"""Auth0's JSON endpoints, one module each."""
