"""Two procedures of Instruction DGOS/PF2/2013/308, each in its own sub-package:
``succession`` (Annexe 1) and ``competence`` (Annexe 2)."""

from .competence.models import *  # noqa: F403
from .succession.models import *  # noqa: F403
