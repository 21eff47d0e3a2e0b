"""The store's schema as named, append-only migrations, applied in order by ``Store.migrate``."""
from __future__ import annotations

# Named, append-only migrations: never edit one that has shipped; add a new one.
MIGRATIONS: list[tuple[str, str]] = [
    ("0001_core_tables", """
        CREATE TABLE documents (
            doc_id VARCHAR PRIMARY KEY, content_hash VARCHAR NOT NULL, published DATE,
            url VARCHAR, title VARCHAR, source VARCHAR, text VARCHAR NOT NULL,
            model VARCHAR, coded_at TIMESTAMP, n_events INTEGER, notes VARCHAR[]);
        CREATE TABLE actor_mentions (
            doc_id VARCHAR NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
            text VARCHAR, code VARCHAR, sector VARCHAR, name VARCHAR, office VARCHAR,
            wikidata VARCHAR);
        CREATE TABLE events (
            event_id VARCHAR PRIMARY KEY, doc_id VARCHAR NOT NULL, event VARCHAR NOT NULL,
            mode VARCHAR, context VARCHAR[], cameo VARCHAR, aux VARCHAR,
            date DATE, date_precision VARCHAR,
            trigger_text VARCHAR, trigger_start INTEGER, trigger_end INTEGER,
            sentence_text VARCHAR, sentence_start INTEGER, sentence_end INTEGER,
            loc_name VARCHAR, loc_country VARCHAR, loc_lat DOUBLE, loc_lon DOUBLE,
            confidence DOUBLE, quad_class INTEGER, score DOUBLE);
        CREATE TABLE event_actors (
            event_id VARCHAR NOT NULL, role VARCHAR NOT NULL, position INTEGER NOT NULL,
            code VARCHAR NOT NULL, sector VARCHAR, entity_text VARCHAR);
        CREATE TABLE skipped (
            location VARCHAR NOT NULL, doc_id VARCHAR, reason VARCHAR NOT NULL,
            text VARCHAR, skipped_at TIMESTAMP);
    """),
    ("0002_indexes", """
        CREATE INDEX events_date ON events(date);
        CREATE INDEX events_doc ON events(doc_id);
        CREATE INDEX event_actors_event ON event_actors(event_id);
        CREATE INDEX mentions_doc ON actor_mentions(doc_id);
    """),
    ("0003_dedup", """
        CREATE TABLE document_links (
            doc_id VARCHAR NOT NULL, duplicate_of VARCHAR NOT NULL, similarity DOUBLE NOT NULL);
        CREATE TABLE document_lsh (
            doc_id VARCHAR NOT NULL, content_hash VARCHAR NOT NULL,
            band INTEGER NOT NULL, bucket UBIGINT NOT NULL);
        -- One row per stored event: its cluster, whether analysis counts it, and the
        -- facts analysis needs (effective date, actor and recipient code sets), so that
        -- counting scans one table instead of joining events, documents and event_actors.
        CREATE TABLE event_clusters (
            event_id VARCHAR NOT NULL, doc_id VARCHAR NOT NULL, cluster_key VARCHAR NOT NULL,
            key_hash UBIGINT NOT NULL, cluster_id VARCHAR NOT NULL, counted BOOLEAN NOT NULL, date DATE,
            event VARCHAR NOT NULL, quad_class INTEGER, score DOUBLE, aux VARCHAR,
            actors VARCHAR[], recipients VARCHAR[],
            loc_country VARCHAR, loc_name VARCHAR, confidence DOUBLE);
        CREATE VIEW clusters AS
            SELECT c.cluster_id, any_value(c.event) AS event,
                   any_value(c.actors) AS actors, any_value(c.recipients) AS recipients,
                   any_value(c.aux) AS aux, min(c.date) AS first_date, max(c.date) AS last_date,
                   count(DISTINCT c.doc_id) AS n_sources, count(*) AS n_events,
                   bool_or(c.counted) AS counted,
                   list(c.event_id ORDER BY c.date, c.event_id) AS event_ids,
                   list(DISTINCT c.doc_id) AS doc_ids,
                   list(e.sentence_text ORDER BY c.date, c.event_id) AS sentences
            FROM event_clusters c JOIN events e USING (event_id)
            GROUP BY c.cluster_id;
        CREATE INDEX event_clusters_event ON event_clusters(event_id);
        CREATE INDEX event_clusters_doc ON event_clusters(doc_id);
        CREATE INDEX document_lsh_doc ON document_lsh(doc_id);
        CREATE INDEX document_links_doc ON document_links(doc_id);
    """),
    # `diurna watch`: per-feed HTTP cache validators and back-off, and every item seen (see feeds.py).
    ("0004_feed_state", """
        CREATE TABLE feeds (
            feed_url VARCHAR PRIMARY KEY, etag VARCHAR, last_modified VARCHAR,
            last_polled TIMESTAMP, failures INTEGER NOT NULL, retry_at TIMESTAMP, last_error VARCHAR);
        CREATE TABLE feed_items (
            feed_url VARCHAR NOT NULL, item_key VARCHAR NOT NULL, doc_id VARCHAR NOT NULL,
            link VARCHAR, title VARCHAR, published DATE, content VARCHAR,
            status VARCHAR NOT NULL, attempts INTEGER NOT NULL, last_error VARCHAR,
            first_seen TIMESTAMP, updated_at TIMESTAMP, PRIMARY KEY (feed_url, item_key));
    """),
    # The language ingest identified (ISO 639-1; null for rows stored before it was recorded).
    ("0005_document_language", """
        ALTER TABLE documents ADD COLUMN language VARCHAR;
    """),
    # PLOVER fields: who an entity is (Wikidata id, name, office) and the sentence's number.
    ("0006_entity_identifiers", """
        ALTER TABLE event_actors ADD COLUMN identifier_id VARCHAR;
        ALTER TABLE event_actors ADD COLUMN identifier_text VARCHAR;
        ALTER TABLE event_actors ADD COLUMN office VARCHAR;
        ALTER TABLE events ADD COLUMN sentence_no INTEGER;
    """),
    # Event places resolved further: GeoNames id, province (admin1) and resolution
    # ("city", "province", "country"); NULL for events stored before.
    ("0007_event_place_fields", """
        ALTER TABLE events ADD COLUMN loc_geonameid BIGINT;
        ALTER TABLE events ADD COLUMN loc_province VARCHAR;
        ALTER TABLE events ADD COLUMN loc_resolution VARCHAR;
    """),
]
