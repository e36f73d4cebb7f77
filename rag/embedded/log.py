import sys
import time


def say(message: str) -> None:
    """Print a progress line for slow first-time steps (flushes immediately)."""
    print(f"[perimeter {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)
