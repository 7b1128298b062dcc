"""python3 -m overlay_fabric ...: see overlay_fabric.cli."""
import sys

from .cli import main

sys.exit(main())
