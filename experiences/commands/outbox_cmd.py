"""`launcher.py outbox`: what the kiosk's statement outbox holds, its dead letters, and operator actions on them."""
from __future__ import annotations

import json


def register(subparsers) -> None:
    parser = subparsers.add_parser("outbox", help="show unsent and rejected xAPI statements; requeue or send them")
    parser.add_argument("--json", action="store_true", help="print the counts and dead letters as JSON")
    parser.add_argument("--requeue", action="store_true", help="put rejected statements back in the queue")
    parser.add_argument("--send", action="store_true", help="deliver unsent statements now, then exit")
    parser.add_argument("--url", default="", help="LRS address for --send (default: kiosk.toml [server] url)")
    parser.add_argument("--timeout", type=float, default=60.0, help="give up --send after this many seconds")
    parser.add_argument("--lang", choices=["zh", "en"], help="language of the messages")
    parser.set_defaults(func=run)


def run(args) -> int:
    from experiences.config import ConfigError, load_config
    from experiences.i18n import both, t
    from experiences.outbox import Outbox

    lang = {"zh": "zh-CN", "en": "en"}.get(args.lang or "")
    with Outbox() as outbox:
        if args.requeue or args.send:  # what the kiosk does when it starts: mend what older versions left
            repaired = outbox.repair_old_statements()
            if repaired:
                print(t("outbox_cli.repaired", lang, count=repaired))
        if args.requeue:
            print(t("outbox_cli.requeued", lang, count=outbox.requeue_rejected()))
        if args.send:
            from experiences.sender import Sender

            try:
                config = load_config()
            except ConfigError as exc:
                print(exc)
                return 1
            url = args.url or config.server.url
            if not url:  # an error: in both languages unless --lang chose one
                print(t("outbox_cli.no_server", lang) if lang else both("outbox_cli.no_server"))
                return 2
            sender = Sender.from_config(outbox, config, url=url, idle_interval=3600.0).start()
            sender.wake()
            sender.stop(timeout=args.timeout)
            print(t("outbox_cli.sent_now", lang, unsent=outbox.unsent_count()))
        counts = {"unsent": outbox.unsent_count(), "sent": outbox.sent_count(), "rejected": outbox.rejected_count(),
                  "repaired": outbox.repaired_count()}
        dead = outbox.rejected(limit=20)
        if args.json:
            print(json.dumps({"path": str(outbox.path), **counts,
                              "dead_letters": [{"id": row.statement_id, "attempts": row.attempts,
                                                "reason": row.reason} for row in dead]},
                             ensure_ascii=False, indent=2))
            return 0
        print(t("outbox_cli.summary", lang, path=outbox.path, **counts))
        for row in dead:
            print("  " + t("outbox_cli.dead_letter", lang, id=row.statement_id, attempts=row.attempts,
                           reason=row.reason))
        if counts["rejected"] > len(dead):
            print("  " + t("outbox_cli.more_dead_letters", lang, count=counts["rejected"] - len(dead)))
    return 0
