"""One router per area of the site."""
