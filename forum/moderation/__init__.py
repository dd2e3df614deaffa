"""Reports, the approval queue, moderator actions, suspensions and the moderation log."""
