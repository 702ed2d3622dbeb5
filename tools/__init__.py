"""Developer commands that are not part of the package (see each module's docstring)."""
