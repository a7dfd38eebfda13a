"""Exit 0 when the PostgreSQL URL given as argument answers, 1 otherwise (used by make test)."""

import sys

from sqlalchemy import create_engine, text


def main(url: str) -> int:
    engine = create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:
        print(f"PostgreSQL check failed: {type(error).__name__}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
