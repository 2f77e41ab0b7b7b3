"""The flow inspector: each visitor's recent token exchanges, recorded, and shown step by step."""
