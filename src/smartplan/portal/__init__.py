"""The public portal: a plan's pages for citizens, journalists, towns and firms (no login)."""
