"""The ASGI middleware main.py stacks around the routers: origin, body size, browser id, headers and the session."""
