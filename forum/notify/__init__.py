"""Telling members what happened to them and their posts: notices on the site and by mail."""
