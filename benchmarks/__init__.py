"""The project's benchmarks: scripts that print measured figures (see ``benchmarks/README.md``);
the answer judge in :mod:`benchmarks.judge` is shared with the unit tests."""
