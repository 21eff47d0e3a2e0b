"""`diurna network`: the actor graph, as a table, JSON, GraphML or GEXF."""
from __future__ import annotations

import argparse
import json
import sys

from diurna.cli.options import EXIT_OK, add_filter_options, add_no_dedup, filters_from, open_read_only, write_text


def register(sub) -> None:
    p = sub.add_parser("network", help="the actor graph: nodes and weighted actor→recipient edges")
    add_filter_options(p, counts=True)
    add_no_dedup(p)
    p.add_argument("--format", choices=("table", "json", "graphml", "gexf"), default="table",
                   help="edge table (default), node-link JSON, GraphML or GEXF")
    p.add_argument("--out", help="write to this file instead of standard output")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # imported here, not at the top: `diurna --help` and the other commands start without it
    from diurna.analysis import counts

    filters = filters_from(args)
    with open_read_only(args) as store:
        graph = counts.network(store.con, filters)
    if args.format == "table":
        _print_edges(graph)
    elif args.format == "json":
        write_text(json.dumps(counts.network_json(graph), indent=2, ensure_ascii=False) + "\n", args.out)
    else:
        writer = counts.write_graphml if args.format == "graphml" else counts.write_gexf
        writer(graph, args.out or sys.stdout.buffer)
    return EXIT_OK


def _print_edges(graph) -> None:
    print(f"{graph.number_of_nodes()} actors, {graph.number_of_edges()} edges")
    edges = sorted(graph.edges(data=True), key=lambda e: (-e[2]["weight"], e[0], e[1]))
    for source, target, attrs in edges:
        types = ", ".join(f"{k} {v}" for k, v in sorted(attrs.items()) if k.isupper() and v)
        print(f"  {source:>10} → {target:<10} {attrs['weight']:>5}  mean {attrs['mean_score']:+.2f}  {types}")
