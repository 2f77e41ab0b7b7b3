"""Multi-factor authentication with an authenticator app (TOTP, RFC 6238): enrollment, codes, when it is asked."""
