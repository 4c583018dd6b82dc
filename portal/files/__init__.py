"""Stored files across the domains: which rows name them, the sweep of files no row names, `flask storage`."""
