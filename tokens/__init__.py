"""Access tokens: verification (fastapi-auth0's Auth0, its gaps fixed), each check on its own, and tokens explained."""
