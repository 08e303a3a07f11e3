"""`python -m leadtui`: the same as the `leadtui` command."""

import sys

from leadtui.cli import main

sys.exit(main())
