# The English interface keeps Danish dates and amounts: the money is Danish kroner.
from teten.core.formats.da.formats import *  # noqa: F401,F403
