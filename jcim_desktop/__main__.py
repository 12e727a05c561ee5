"""``python -m jcim_desktop``: the same as the ``jcim-desktop`` command."""

import sys

from jcim_desktop.cli import main

sys.exit(main())
