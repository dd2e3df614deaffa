"""Full-text search over thread titles and posts."""
