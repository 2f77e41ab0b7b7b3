"""The HTTP server around the app: who the client is behind proxies, what uvicorn lets one client hold, clean logs."""
