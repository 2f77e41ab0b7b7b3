"""What the tenant stores: its tables and the records in them."""
