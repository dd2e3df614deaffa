"""Members' own pages: profiles, settings, privacy, and their data (export and deletion)."""
