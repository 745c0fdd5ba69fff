"""congress.settings with the bench's URLconf (benchurls.py adds /bench/minimal/)."""

from congress.settings import *  # noqa: F403

ROOT_URLCONF = "benchurls"
