"""The visitor's progress: the tutorial milestones reached on this site, kept in their session."""
