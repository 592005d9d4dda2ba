"""Each module here defines `register(subparsers)` and adds its own sub-commands."""
