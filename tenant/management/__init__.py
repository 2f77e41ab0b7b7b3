"""Auth0's Management API v2 of the built-in tenant, at /api/v2/, and the applications visitors make for it."""
