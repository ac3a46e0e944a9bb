"""Per-tenant A/B experiments."""
