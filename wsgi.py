import sys

from congress import create_app
from congress.config import ConfigError

try:
    app = create_app()
except ConfigError as error:  # one clear line instead of a traceback
    sys.exit(f"congress: refusing to start: {error}")
