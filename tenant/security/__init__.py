"""Password hashing, throttles and the addresses requests come from."""
