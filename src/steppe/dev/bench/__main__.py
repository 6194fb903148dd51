"""``python -m steppe.dev.bench``: the bench, or one of its measurements in a child process."""

import sys

from steppe.dev.bench import main

sys.exit(main())
