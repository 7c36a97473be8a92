"""Report writers: files under an output directory, written atomically and deterministically."""
