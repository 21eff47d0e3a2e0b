"""`diurna dedup`: bring near-duplicate links and event clusters up to date; list them."""
from __future__ import annotations

import argparse

from diurna.cli.options import DB_HELP, EXIT_OK, WAIT_HELP


def register(sub) -> None:
    p = sub.add_parser("dedup", help="bring near-duplicate links and event clusters up to date; list them")
    p.add_argument("--db", help=DB_HELP)
    p.add_argument("--wait", type=float, default=0.0, metavar="SECONDS", help=WAIT_HELP)
    p.add_argument("--rebuild", action="store_true",
                   help="re-check every document and re-cluster every event")
    p.add_argument("--window", type=int, default=None,
                   help="days between reports of one event (default 3); implies --rebuild")
    p.add_argument("--list", action="store_true", help="list near duplicates and multi-source events")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # imported here, not at the top: `diurna --help` and the other commands start without it
    from diurna.store import dedup
    from diurna.store.database import Store, default_db_path

    with Store(args.db or default_db_path(), wait=args.wait) as store:
        rebuild = args.rebuild or args.window is not None
        todo = None if rebuild else dedup.pending_documents(store.con)
        summary = dedup.refresh_dedup(store.con, todo, window=args.window or dedup.WINDOW_DAYS)
        # "0 documents fingerprinted" before a list of what was found reads as "found nothing"
        if summary.documents or summary.events or rebuild:
            print(summary.format())
        elif not args.list:
            print("already up to date: no document or event was waiting")
        if args.list:
            _print_duplicates(store.con)
    return EXIT_OK


def _print_duplicates(con) -> None:
    links = con.execute("SELECT doc_id, duplicate_of, similarity FROM document_links "
                        "ORDER BY doc_id").fetchall()
    print(f"near-duplicate documents: {len(links)}")
    for doc_id, original, similarity in links:
        print(f"  {doc_id} ≈ {original} (Jaccard {similarity:.2f})")
    clusters = con.execute("""
        SELECT cluster_id, event, actors, recipients, first_date, n_sources, n_events
        FROM clusters WHERE n_sources > 1 ORDER BY first_date, cluster_id""").fetchall()
    print(f"events reported by several documents: {len(clusters)}")
    for cluster_id, event, actors, recipients, first, n_sources, n_events in clusters:
        print(f"  {first}  {'+'.join(actors) or '-'} {event} {'+'.join(recipients) or '-'}: "
              f"{n_sources} sources, {n_events} records ({cluster_id})")
