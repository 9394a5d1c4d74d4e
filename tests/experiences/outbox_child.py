"""A kiosk stand-in run as a subprocess by the SIGKILL tests: it puts statements, or delivers them, until killed.

put OUTBOX N URL    start a sender at URL (unreachable), put N statements one by one (printing each id once its
                    put returned), print READY, then wait to be killed.
send OUTBOX URL     deliver everything with a sender, print the unsent count left, exit 0 if none.
"""
from __future__ import annotations

import sys
import threading
import uuid

from experiences.outbox import Outbox
from experiences.sender import Backoff, Sender


def statement(n: int) -> dict:
    return {"id": str(uuid.uuid4()),
            "actor": {"objectType": "Agent", "account": {"homePage": "https://lib.example.org/", "name": "s"}},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"},
            "object": {"objectType": "Activity", "id": f"https://lib.example.org/activities/item/{n}"}}


def put(path: str, count: int, url: str) -> None:
    outbox = Outbox(path)
    sender = Sender(outbox, url, "kiosk", "s3cret", batch_size=50, backoff=Backoff(base=0.05, cap=0.2)).start()
    for n in range(count):
        s = statement(n)
        outbox.put(s)
        sender.wake()
        sys.stdout.write(s["id"] + "\n")
    sys.stdout.write("READY\n")
    sys.stdout.flush()
    threading.Event().wait()  # until SIGKILL


def send(path: str, url: str) -> int:
    outbox = Outbox(path)
    sender = Sender(outbox, url, "kiosk", "s3cret", batch_size=50, idle_interval=3600.0).start()
    sender.wake()
    delivered = sender.stop(timeout=120.0)
    left = outbox.unsent_count()
    print(f"UNSENT {left}", flush=True)
    return 0 if delivered and left == 0 else 1


if __name__ == "__main__":
    if sys.argv[1] == "put":
        put(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    else:
        sys.exit(send(sys.argv[2], sys.argv[3]))
