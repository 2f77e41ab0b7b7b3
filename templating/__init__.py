"""The Jinja2 environment of the site's pages, its filters, and what every page's layout may show."""
