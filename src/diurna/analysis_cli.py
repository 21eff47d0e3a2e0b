"""CLI commands over diurna.analysis, diurna.export and diurna.dedup:
`diurna dyads`, `timeline`, `network`, `export`, `dedup`, and the counting side of `actors`."""
from __future__ import annotations

import dataclasses
import json
import sys

from .cli import EXIT_OK, add_filter_options, filters_from
from .store import Store, default_db_path

TABLE_FORMATS = ("table", "csv", "json")


def register(sub) -> None:
    _add_dyads(sub)
    _add_timeline(sub)
    _add_network(sub)
    _add_export(sub)
    _add_dedup(sub)


def _counting_options(p) -> None:
    add_filter_options(p, counts=True)
    p.add_argument("--no-dedup", action="store_true",
                   help="count every stored record, not one per deduplicated event")


def _filters(args, counts: bool = True):
    f = filters_from(args, counts=counts)
    return dataclasses.replace(f, dedup=not getattr(args, "no_dedup", False))


def _open(args) -> Store:
    return Store(args.db or default_db_path(), read_only=True)


# -- dyads --------------------------------------------------------------------------
def _add_dyads(sub) -> None:
    p = sub.add_parser("dyads", help="events per actor→recipient pair over time, with quad classes")
    _counting_options(p)
    p.add_argument("--by", choices=("day", "week", "month", "year", "all"), default="month")
    p.add_argument("--top", type=int, default=None, help="only the N most active dyads")
    p.add_argument("--format", choices=TABLE_FORMATS, default="table")
    p.set_defaults(run=_run_dyads)


def _run_dyads(args) -> int:
    from .analysis import dyads
    with _open(args) as store:
        frame = dyads(store.con, _filters(args), by=args.by, actor=args.actor,
                      recipient=args.recipient, top=args.top)
    print_frame(frame, args.format)
    return EXIT_OK


# -- actors (the counting side of `diurna actors`) ------------------------------------
def run_top_actors(args) -> int:
    from .analysis import top_actors
    with _open(args) as store:
        frame = top_actors(store.con, _filters(args), top=args.top)
    print_frame(frame, args.format)
    return EXIT_OK


# -- timeline -------------------------------------------------------------------------
def _add_timeline(sub) -> None:
    p = sub.add_parser("timeline", help="events over time for an actor, or a pair of actors")
    p.add_argument("codes", nargs="+", metavar="ACTOR", help="one actor code, or two for a pair")
    _counting_options(p)
    p.add_argument("--by", choices=("day", "week", "month", "year"), default="month")
    p.add_argument("--format", choices=TABLE_FORMATS, default="table")
    p.set_defaults(run=_run_timeline)


def _run_timeline(args) -> int:
    from .analysis import timeline
    with _open(args) as store:
        frame = timeline(store.con, _filters(args), args.codes, by=args.by)
    print_frame(frame, args.format)
    return EXIT_OK


# -- network --------------------------------------------------------------------------
def _add_network(sub) -> None:
    p = sub.add_parser("network", help="the actor graph: nodes and weighted actor→recipient edges")
    _counting_options(p)
    p.add_argument("--format", choices=("table", "json", "graphml", "gexf"), default="table")
    p.add_argument("--out", help="write to this file instead of standard output")
    p.set_defaults(run=_run_network)


def _run_network(args) -> int:
    from . import analysis
    with _open(args) as store:
        graph = analysis.network(store.con, _filters(args))
    if args.format == "table":
        _print_edges(graph)
        return EXIT_OK
    if args.format == "json":
        text = json.dumps(analysis.network_json(graph), indent=2, ensure_ascii=False) + "\n"
        _write_text(text, args.out)
        return EXIT_OK
    writer = analysis.write_graphml if args.format == "graphml" else analysis.write_gexf
    writer(graph, args.out or sys.stdout.buffer)
    return EXIT_OK


def _print_edges(graph) -> None:
    print(f"{graph.number_of_nodes()} actors, {graph.number_of_edges()} edges")
    edges = sorted(graph.edges(data=True), key=lambda e: (-e[2]["weight"], e[0], e[1]))
    for source, target, attrs in edges:
        types = ", ".join(f"{k} {v}" for k, v in sorted(attrs.items()) if k.isupper() and v)
        print(f"  {source:>10} → {target:<10} {attrs['weight']:>5}  mean {attrs['mean_score']:+.2f}  {types}")


def _write_text(text: str, out: str | None) -> None:
    if out:
        with open(out, "w", encoding="utf-8") as handle:
            handle.write(text)
    else:
        sys.stdout.write(text)


# -- export ---------------------------------------------------------------------------
def _add_export(sub) -> None:
    p = sub.add_parser("export", help="write events as CSV, Parquet, PLOVER JSON Lines or GDELT 2.0 TSV")
    add_filter_options(p)
    p.add_argument("--format", choices=("csv", "parquet", "plover", "gdelt"), required=True)
    p.add_argument("--out", help="output file (default: standard output)")
    p.add_argument("--header", action="store_true", help="gdelt: first line names the 61 columns")
    p.add_argument("--exclude-uncertain", action="store_true",
                   help="leave out future, hypothetical and negated events")
    p.add_argument("--no-dedup", action="store_true",
                   help="every stored per-sentence record instead of one per deduplicated event")
    p.set_defaults(run=_run_export)


def _run_export(args) -> int:
    from .export import export
    f = dataclasses.replace(_filters(args, counts=False), include_uncertain=not args.exclude_uncertain)
    with _open(args) as store:
        n = export(store.con, f, args.format, args.out, header=args.header)
    if args.out:
        print(f"{n} events written to {args.out}", file=sys.stderr)
    return EXIT_OK


# -- dedup ----------------------------------------------------------------------------
def _add_dedup(sub) -> None:
    p = sub.add_parser("dedup", help="bring near-duplicate links and event clusters up to date; list them")
    p.add_argument("--db", help="DuckDB store (default: $DIURNA_DB or ./diurna.duckdb)")
    p.add_argument("--rebuild", action="store_true",
                   help="re-check every document and re-cluster every event")
    p.add_argument("--window", type=int, default=None,
                   help="days between reports of one event (default 3); implies --rebuild")
    p.add_argument("--list", action="store_true", help="list near duplicates and multi-source events")
    p.set_defaults(run=_run_dedup)


def _run_dedup(args) -> int:
    from . import dedup
    with Store(args.db or default_db_path()) as store:
        rebuild = args.rebuild or args.window is not None
        todo = None if rebuild else dedup.pending_documents(store.con)
        summary = dedup.refresh_dedup(store.con, todo, window=args.window or dedup.WINDOW_DAYS)
        print(summary.format())
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


# -- output ---------------------------------------------------------------------------
def print_frame(frame, fmt: str, out=None) -> None:
    out = out or sys.stdout
    frame = frame.copy()
    if "period" in frame.columns:
        if frame["period"].isna().all():
            frame = frame.drop(columns="period")      # --by all: no periods
        else:
            frame["period"] = [None if v is None else str(v) for v in frame["period"]]
    if fmt == "csv":
        frame.to_csv(out, index=False)
    elif fmt == "json":
        out.write(frame.to_json(orient="records", force_ascii=False) + "\n")
    elif frame.empty:
        out.write("no events match\n")
    else:
        out.write(frame.to_string(index=False, na_rep="-") + "\n")
