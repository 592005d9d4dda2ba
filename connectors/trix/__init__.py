"""The Tri.x-style online procedures manual, read over HTTP."""
