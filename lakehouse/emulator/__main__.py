"""``python -m lakehouse.emulator``: see :mod:`lakehouse.emulator.serve`."""

from lakehouse.emulator.serve import main

main()
