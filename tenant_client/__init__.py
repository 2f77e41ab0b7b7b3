"""The site as an OAuth client of its tenant (Auth0 or the built-in one): login, Authentication API, failures."""
