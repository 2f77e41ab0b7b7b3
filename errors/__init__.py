"""How the site answers a request that fails: error pages for browsers, 422s that do not repeat what was sent."""
