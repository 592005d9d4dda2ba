"""The procedures manual: keeping its index, searching it with the register, and what a change affects."""
