"""The answers file: read, validate, migrate and write it; its commented template and JSON schema."""
