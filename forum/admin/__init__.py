"""Site settings that admins change without a deploy."""
