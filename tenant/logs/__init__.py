"""The tenant's logs: Auth0's event codes, recording events in batches, and reading them back."""
