"""Categories, threads and posts: the discussion itself."""
