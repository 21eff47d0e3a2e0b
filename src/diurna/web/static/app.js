// Diurna dashboard: filters drive four views (timeline, network, map, table) over the JSON API;
// a table row or map place opens its (newest) article with the event's actor, trigger and recipient marked.
"use strict";

const SVG_NS = "http://www.w3.org/2000/svg";
const QUADS = { 1: "Verbal cooperation", 2: "Material cooperation", 3: "Verbal conflict", 4: "Material conflict" };
const PAGE_SIZE = 50;
const FILTER_NAMES = ["since", "until", "actor", "recipient", "event", "quad", "include_uncertain"];

const state = { filters: {}, nextCursor: null, selected: null, requestId: 0 };

// ---------------------------------------------------------------------------- helpers
function el(tag, attrs = {}, parent = null, text = null) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== null) node.textContent = text;
  if (parent) parent.appendChild(node);
  return node;
}

function svgEl(tag, attrs = {}, parent = null, text = null) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== null) node.textContent = text;
  if (parent) parent.appendChild(node);
  return node;
}

function tooltip(node, text) {
  svgEl("title", {}, node, text);
}

async function api(path, params = {}) {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== "") query.set(k, v);
  }
  const url = query.toString() ? `${path}?${query}` : path;
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  const body = await response.json();
  if (!response.ok) {
    const error = new Error(body.error ? body.error.message : `${response.status} from ${path}`);
    error.parameter = body.error ? body.error.parameter : null;
    throw error;
  }
  return body;
}

function showError(error) {
  const box = document.getElementById("error");
  box.textContent = error ? `Could not load: ${error.message}` : "";
  box.hidden = !error;
}

// Fresh SVG sized to its container, so text keeps its size whatever the panel width.
function freshChart(id) {
  const holder = document.getElementById(id);
  holder.replaceChildren();
  const width = Math.max(holder.clientWidth, 200);
  const height = Math.max(holder.clientHeight, 150);
  const svg = svgEl("svg", { viewBox: `0 0 ${width} ${height}`, role: "img" }, holder);
  return { holder, svg, width, height };
}

function emptyState(holder, message) {
  const box = el("div", { class: "empty-state" }, holder);
  el("span", {}, box, message);
}

function codes(list) {
  return list && list.length ? list.map((e) => e.code).join(" + ") : "—";
}

function scoreColour(score) {
  if (score === null || score === undefined) return "#9aa3b1";
  if (score > 0.5) return "var(--q2)";
  if (score < -0.5) return "var(--q4)";
  return "#9aa3b1";
}

// ---------------------------------------------------------------------------- filters
function readFilters() {
  const form = document.getElementById("filters");
  const data = new FormData(form);
  const filters = {};
  for (const name of FILTER_NAMES) {
    const value = name === "include_uncertain" ? (data.get(name) ? "true" : "false") : (data.get(name) || "").trim();
    if (value) filters[name] = value;
  }
  return filters;
}

function writeFilters(filters) {
  const form = document.getElementById("filters");
  for (const name of FILTER_NAMES) {
    const field = form.elements[name];
    if (name === "include_uncertain") field.checked = filters[name] === "true";
    else field.value = filters[name] || "";
  }
}

// The filters live in the address so a view can be bookmarked or shared.
function filtersFromAddress() {
  const params = new URLSearchParams(window.location.hash.slice(1));
  const filters = {};
  for (const name of FILTER_NAMES) if (params.get(name)) filters[name] = params.get(name);
  return filters;
}

function applyFilters() {
  state.filters = readFilters();
  const kept = Object.entries(state.filters).filter(([k, v]) => !(k === "include_uncertain" && v === "false"));
  history.replaceState(null, "", kept.length ? `#${new URLSearchParams(kept)}` : window.location.pathname);
  refresh();
}

async function setUpFilters() {
  const form = document.getElementById("filters");
  const meta = await api("/api/meta");
  const typeSelect = form.elements.event;
  for (const type of meta.event_types) el("option", { value: type }, typeSelect, type);
  const quadSelect = form.elements.quad;
  for (const [value, label] of Object.entries(meta.quad_classes)) {
    el("option", { value }, quadSelect, `${value} · ${label}`);
  }
  form.addEventListener("submit", (event) => { event.preventDefault(); applyFilters(); });
  form.addEventListener("reset", (event) => { event.preventDefault(); writeFilters({}); applyFilters(); });
  for (const name of ["since", "until", "event", "quad", "include_uncertain"]) {
    form.elements[name].addEventListener("change", applyFilters);
  }
  writeFilters(filtersFromAddress());
  state.filters = readFilters();
}

async function loadActorChoices() {
  const list = document.getElementById("actor-codes");
  try {
    const data = await api("/api/actors", { top: 50, include_uncertain: "true" });
    list.replaceChildren();
    for (const a of data.actors) el("option", { value: a.actor }, list, `${a.actor} · ${a.events} events`);
  } catch (error) {
    // The choices only help typing; the filter works without them.
  }
}

async function loadSummary() {
  const health = await api("/api/health");
  const c = health.counts;
  document.getElementById("store-summary").textContent =
    `${c.events} events from ${c.documents} articles, ${c.actor_mentions} actor mentions`;
}

// ---------------------------------------------------------------------------- refresh
// data-busy marks a refresh in flight, for people (cursor) and for the browser tests.
async function refresh() {
  const id = ++state.requestId;
  document.body.dataset.busy = "true";
  showError(null);
  const views = [loadTimeline(id), loadNetwork(id), loadMap(id), loadEvents(id, true)];
  const results = await Promise.allSettled(views);
  if (id !== state.requestId) return;
  const failed = results.find((r) => r.status === "rejected");
  if (failed) showError(failed.reason);
  delete document.body.dataset.busy;
}

// ---------------------------------------------------------------------------- timeline
function renderTimelineLegend() {
  const legend = document.getElementById("timeline-legend");
  legend.replaceChildren();
  for (const [q, label] of Object.entries(QUADS)) {
    const item = el("li", {}, legend);
    el("span", { class: `swatch q${q}` }, item);
    item.append(label);
  }
  const item = el("li", {}, legend);
  el("span", { class: "swatch line score" }, item);
  item.append("mean score");
}

async function loadTimeline(id) {
  const data = await api("/api/timeline", { ...state.filters, by: "month" });
  if (id !== state.requestId) return;
  drawTimeline(data);
}

function drawTimeline(data) {
  const { holder, svg, width, height } = freshChart("timeline");
  svg.setAttribute("aria-label", "Event counts and mean cooperation/conflict score by month");
  const periods = data.periods;
  if (!periods.length) {
    emptyState(holder, data.undated ? `No dated events match (${data.undated} undated).` : "No events match these filters.");
    return;
  }
  const m = { left: 36, right: 34, top: 20, bottom: 36 };
  const plotW = width - m.left - m.right;
  const plotH = height - m.top - m.bottom;
  const maxCount = Math.max(1, ...periods.map((p) => p.events));
  const yCount = (v) => m.top + plotH - (v / maxCount) * plotH;
  const yScore = (v) => m.top + plotH / 2 - (v / 10) * (plotH / 2);
  const step = plotW / periods.length;
  const barW = Math.max(2, Math.min(40, step * 0.7));

  drawTimelineAxes(svg, { m, width, plotH, maxCount, yCount, yScore });
  const labelEvery = Math.ceil(periods.length / Math.max(1, Math.floor(plotW / 60)));
  periods.forEach((p, i) => {
    const x = m.left + step * i + (step - barW) / 2;
    let base = 0;
    for (const q of [1, 2, 3, 4]) {
      const n = p[`quad${q}`] || 0;
      if (!n) continue;
      const rect = svgEl("rect", { class: `bar q${q}`, x, width: barW, y: yCount(base + n), height: yCount(base) - yCount(base + n) }, svg);
      tooltip(rect, `${periodLabel(p.period, data.by)}: ${n} ${QUADS[q].toLowerCase()}`);
      base += n;
    }
    if (i % labelEvery === 0) {
      svgEl("text", { x: x + barW / 2, y: height - m.bottom + 14, "text-anchor": "middle" }, svg, periodLabel(p.period, data.by));
    }
  });
  drawScoreLine(svg, periods, (i) => m.left + step * i + step / 2, yScore, data.by);
  const note = data.undated ? ` · ${data.undated} undated not shown` : "";
  svgEl("text", { x: m.left, y: height - 4 }, svg,
    `${data.total} events by ${data.by}, each counted once, dated by the article when the text gives no date${note}`);
}

function drawTimelineAxes(svg, { m, width, plotH, maxCount, yCount, yScore }) {
  const right = width - m.right;
  const ticks = niceTicks(maxCount);
  for (const t of ticks) {
    svgEl("line", { class: "gridline", x1: m.left, x2: right, y1: yCount(t), y2: yCount(t) }, svg);
    svgEl("text", { x: m.left - 6, y: yCount(t) + 4, "text-anchor": "end" }, svg, String(t));
  }
  for (const s of [-10, 0, 10]) {
    svgEl("text", { x: right + 6, y: yScore(s) + 4 }, svg, s > 0 ? `+${s}` : String(s));
  }
  svgEl("line", { class: "zero", x1: m.left, x2: right, y1: yScore(0), y2: yScore(0) }, svg);
  svgEl("text", { x: 4, y: 11 }, svg, "events");
  svgEl("text", { x: width - 4, y: 11, "text-anchor": "end" }, svg, "score");
  svgEl("line", { class: "axis", x1: m.left, x2: right, y1: m.top + plotH, y2: m.top + plotH, stroke: "#aab2bf" }, svg);
}

// The score line breaks at periods without events rather than drawing a trend through them.
function drawScoreLine(svg, periods, x, yScore, by) {
  let run = [];
  const flush = () => {
    if (run.length > 1) svgEl("polyline", { class: "score-line", points: run.join(" ") }, svg);
    run = [];
  };
  periods.forEach((p, i) => {
    if (p.mean_score === null || p.mean_score === undefined) { flush(); return; }
    run.push(`${x(i)},${yScore(p.mean_score)}`);
    const dot = svgEl("circle", { class: "score-dot", cx: x(i), cy: yScore(p.mean_score), r: 3 }, svg);
    tooltip(dot, `${periodLabel(p.period, by)}: mean score ${p.mean_score.toFixed(1)} over ${p.events} events`);
  });
  flush();
}

function periodLabel(start, by) {
  if (by === "month") return start.slice(0, 7);
  if (by === "year") return start.slice(0, 4);
  return start;
}

function niceTicks(max) {
  const step = max <= 5 ? 1 : max <= 10 ? 2 : Math.ceil(max / 4 / 5) * 5;
  const ticks = [];
  for (let t = 0; t <= max; t += step) ticks.push(t);
  return ticks;
}

// ---------------------------------------------------------------------------- network
async function loadNetwork(id) {
  const data = await api("/api/network", { ...state.filters, top: 16 });
  if (id !== state.requestId) return;
  drawNetwork(data);
}

// An ellipse filling the panel, busiest actor at the top, labels outside: stable between
// filter changes and readable at a glance, which a force layout of a few nodes is not.
function drawNetwork(data) {
  const { holder, svg, width, height } = freshChart("network");
  svg.setAttribute("aria-label", "Network of actors: a line for each actor–recipient pair");
  if (!data.nodes.length) {
    emptyState(holder, "No actors for these filters.");
    return;
  }
  const centre = { cx: width / 2, cy: height / 2 };
  // Leave room outside the ellipse for the longest label (bold capitals: about 8px each).
  const longest = Math.max(...data.nodes.map((n) => n.id.length));
  const rx = Math.max(30, width / 2 - 20 - 8 * longest);
  const ry = Math.max(30, height / 2 - 26);
  const maxEvents = Math.max(1, ...data.nodes.map((n) => n.events));
  const place = new Map();
  data.nodes.forEach((node, i) => {
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / data.nodes.length;
    place.set(node.id, { x: centre.cx + rx * Math.cos(angle), y: centre.cy + ry * Math.sin(angle), angle, node });
  });
  drawLinks(svg, data.links, place, centre);
  for (const spot of place.values()) drawNode(svg, spot, maxEvents);
  if (!data.links.length) emptyState(holder, "No actor–recipient pairs: these events have no recipient.");
}

function drawNode(svg, { x, y, angle, node }, maxEvents) {
  const g = svgEl("g", { class: "node", tabindex: 0, "data-code": node.id }, svg);
  if (state.filters.actor === node.id) g.classList.add("active");
  const r = 4 + 7 * Math.sqrt(node.events / maxEvents);
  svgEl("circle", { cx: x, cy: y, r }, g);
  const cos = Math.cos(angle);
  const anchor = Math.abs(cos) < 0.3 ? "middle" : cos > 0 ? "start" : "end";
  const lx = x + (r + 3) * Math.sign(Math.round(cos * 3));
  const ly = y + (Math.abs(cos) < 0.3 ? (Math.sin(angle) < 0 ? -r - 3 : r + 11) : 4);
  svgEl("text", { x: lx, y: ly, "text-anchor": anchor }, g, node.id);
  const roles = node.as_actor === undefined ? "" : ` (${node.as_actor} as actor, ${node.as_recipient} as recipient)`;
  tooltip(g, `${node.id}: ${node.events} events${roles} — click to filter by this actor`);
  g.addEventListener("click", () => filterByActor(node.id));
  g.addEventListener("keydown", (e) => { if (e.key === "Enter") filterByActor(node.id); });
}

function drawLinks(svg, links, place, centre) {
  const maxWeight = Math.max(1, ...links.map((link) => link.weight));
  for (const link of links) {
    const a = place.get(link.source);
    const b = place.get(link.target);
    if (!a || !b || a === b) continue;
    // Bend towards the centre so A→B and B→A stay apart.
    const mx = (a.x + b.x) / 2 + (centre.cx - (a.x + b.x) / 2) * 0.35;
    const my = (a.y + b.y) / 2 + (centre.cy - (a.y + b.y) / 2) * 0.35;
    const path = svgEl("path", {
      class: "edge", d: `M${a.x},${a.y} Q${mx},${my} ${b.x},${b.y}`,
      stroke: scoreColour(link.mean_score), "stroke-width": 1 + 4 * (link.weight / maxWeight),
    }, svg);
    const score = link.mean_score === null ? "no score" : `mean score ${link.mean_score.toFixed(1)}`;
    const types = Object.entries(link.types).map(([t, n]) => `${t} ${n}`).join(", ");
    tooltip(path, `${link.source} → ${link.target}: ${link.weight} events (${types}), ${score}`);
  }
}

function filterByActor(code) {
  const form = document.getElementById("filters");
  form.elements.actor.value = state.filters.actor === code ? "" : code;
  applyFilters();
}

// ---------------------------------------------------------------------------- map
// Country outlines: the world-atlas TopoJSON shipped in static/data (see its README there),
// decoded here. Events: counted by place on /api/places, with the dashboard's filters.
const WORLD_URL = "/static/data/countries-110m.json";
const MAP_TOP = 84;          // equirectangular, cropped to 60°S–84°N
const MAP_BOTTOM = -60;
let world = null;            // { countries: [{ id, name, rings }], centres: Map(id → [lon, lat]) }

async function loadMap(id) {
  if (!world) world = decodeWorld(await api(WORLD_URL));
  const data = await api("/api/places", state.filters);
  if (id !== state.requestId) return;
  drawMap(data);
}

// TopoJSON stores each border once, as an arc shared by the countries on either side: a run
// of integer points, each a delta from the one before, which the transform scales back to
// degrees. A ring lists its arcs by index; ~i (a negative index) walks arc i backwards.
function decodeWorld(topology) {
  const arcs = topology.arcs.map((arc) => decodeArc(arc, topology.transform));
  const countries = topology.objects.countries.geometries
    .filter((g) => g.type === "Polygon" || g.type === "MultiPolygon")
    .map((g) => ({
      id: g.id === undefined ? null : String(g.id),
      name: (g.properties && g.properties.name) || "",
      rings: (g.type === "Polygon" ? [g.arcs] : g.arcs).flat().map((indexes) => flatRing(joinArcs(indexes, arcs))),
    }));
  const centres = new Map(countries.filter((c) => c.id).map((c) => [c.id, ringCentre(c.rings)]));
  return { countries, centres };
}

function decodeArc(arc, transform) {
  if (!transform) return arc.map(([lon, lat]) => [lon, lat]);
  const [sx, sy] = transform.scale;
  const [tx, ty] = transform.translate;
  let x = 0;
  let y = 0;
  return arc.map(([dx, dy]) => { x += dx; y += dy; return [x * sx + tx, y * sy + ty]; });
}

function joinArcs(indexes, arcs) {
  const ring = [];
  for (const i of indexes) {
    const points = i >= 0 ? arcs[i] : arcs[~i].slice().reverse();
    ring.push(...(ring.length ? points.slice(1) : points));   // an arc starts where the last one ended
  }
  return ring;
}

// On a flat map a ring that crosses the antimeridian (Fiji, Chukotka) would jump across the
// whole world: its longitudes are unwrapped into one run past ±180 and the ring is drawn again
// a world away, the frame clipping both. A ring around the pole (Antarctica) ends a whole turn
// from its start; it is closed along the pole.
function flatRing(ring) {
  const points = [];
  let shift = 0;
  for (const [lon, lat] of ring) {
    const last = points[points.length - 1];
    if (last && lon + shift - last[0] > 180) shift -= 360;
    else if (last && lon + shift - last[0] < -180) shift += 360;
    points.push([lon + shift, lat]);
  }
  const turn = points[points.length - 1][0] - points[0][0];
  if (Math.abs(turn) > 180) {
    const pole = points[0][1] < 0 ? -90 : 90;
    points.push([points[points.length - 1][0], pole], [points[0][0], pole]);
  }
  const lons = points.map(([lon]) => lon);
  const copies = [0];
  if (Math.min(...lons) < -180) copies.push(360);
  if (Math.max(...lons) > 180) copies.push(-360);
  return { points, copies };
}

// Where a country without a place of its own is drawn: the centroid of its largest ring.
function ringCentre(rings) {
  let best = null;
  let bestArea = 0;
  for (const { points } of rings) {
    let area = 0;
    let cx = 0;
    let cy = 0;
    for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
      const [x0, y0] = points[j];
      const [x1, y1] = points[i];
      const cross = x0 * y1 - x1 * y0;
      area += cross; cx += (x0 + x1) * cross; cy += (y0 + y1) * cross;
    }
    if (Math.abs(area) > bestArea) { bestArea = Math.abs(area); best = [cx / (3 * area), cy / (3 * area)]; }
  }
  return best && [((best[0] + 540) % 360) - 180, best[1]];
}

function drawMap(data) {
  const { holder, svg, width, height } = freshChart("map");
  svg.setAttribute("aria-label", "Map of where the counted events happened");
  const scale = Math.min(width / 360, (height - 16) / (MAP_TOP - MAP_BOTTOM));
  const ox = (width - 360 * scale) / 2;
  const oy = (height - 16 - (MAP_TOP - MAP_BOTTOM) * scale) / 2;
  const x = (lon) => ox + (lon + 180) * scale;
  const y = (lat) => oy + (MAP_TOP - lat) * scale;
  const frame = { x: x(-180), y: y(MAP_TOP), width: 360 * scale, height: (MAP_TOP - MAP_BOTTOM) * scale };
  svgEl("rect", frame, svgEl("clipPath", { id: "map-clip" }, svgEl("defs", {}, svg)));
  svgEl("rect", { class: "map-frame", ...frame }, svg);
  const clipped = svgEl("g", { "clip-path": "url(#map-clip)" }, svg);
  for (let lon = -150; lon < 180; lon += 30) svgEl("line", { class: "graticule", x1: x(lon), x2: x(lon), y1: y(MAP_TOP), y2: y(MAP_BOTTOM) }, clipped);
  for (let lat = -30; lat <= 60; lat += 30) svgEl("line", { class: "graticule", x1: x(-180), x2: x(180), y1: y(lat), y2: y(lat) }, clipped);
  for (const country of world.countries) {
    const path = svgEl("path", { class: "country", d: countryPath(country, x, y), "data-id": country.id || "" }, clipped);
    tooltip(path, country.name);
  }
  const drawn = drawPlaces(svg, data.places, x, y);
  const onMap = drawn.reduce((sum, p) => sum + p.events, 0);
  if (!drawn.length) {
    emptyState(holder, data.total ? `No located events among the ${data.total} that match.` : "No events match these filters.");
    return;
  }
  const missing = data.total - onMap;
  svgEl("text", { x: 4, y: height - 4 }, svg,
    `${drawn.length} places, ${onMap} of ${data.total} counted events${missing ? ` (${missing} without a place)` : ""}`);
}

function countryPath(country, x, y) {
  const parts = [];
  for (const { points, copies } of country.rings) {
    for (const shift of copies) {
      parts.push(`M${points.map(([lon, lat]) => `${x(lon + shift).toFixed(1)},${y(lat).toFixed(1)}`).join("L")}Z`);
    }
  }
  return parts.join("");
}

// A place's disc has an area proportional to its event count (radius 7 px for one event, or less
// so that the busiest place stays within 16 px; never under 2 px), cut into quad-class wedges.
function drawPlaces(svg, places, x, y) {
  const drawn = places.map((p) => ({ ...p, at: p.lat !== null ? [p.lon, p.lat] : world.centres.get(p.country_numeric) }))
    .filter((p) => p.at);
  const most = Math.max(1, ...drawn.map((p) => p.events));
  const perEvent = Math.min(7, 16 / Math.sqrt(most));
  drawn.sort((a, b) => b.events - a.events);       // small discs last, on top, so they stay clickable
  for (const place of drawn) {
    drawPlace(svg, place, x(place.at[0]), y(place.at[1]), Math.max(2, perEvent * Math.sqrt(place.events)));
  }
  return drawn;
}

function drawPlace(svg, place, cx, cy, r) {
  const g = svgEl("g", {
    class: place.lat === null ? "point country-only" : "point", tabindex: 0, "data-event": place.latest_event,
    "data-events": place.events, "data-r": r.toFixed(2), transform: `translate(${cx.toFixed(1)},${cy.toFixed(1)})`,
  }, svg);
  const shares = [1, 2, 3, 4].map((q) => [q, place[`quad${q}`]]).filter(([, n]) => n > 0);
  svgEl("circle", { class: shares.length === 1 ? `q${shares[0][0]}` : "q0", r }, g);
  if (shares.length > 1) {
    let angle = -Math.PI / 2;
    for (const [q, n] of shares) {
      const sweep = (2 * Math.PI * n) / place.events;
      svgEl("path", { class: `q${q}`, d: wedge(r, angle, angle + sweep) }, g);
      angle += sweep;
    }
  }
  if (place.lat === null) svgEl("circle", { class: "ring", r: r + 2 }, g);   // a country, not a place
  tooltip(g, placeTitle(place));
  g.addEventListener("click", () => showEvent(place.latest_event));
  g.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); showEvent(place.latest_event); } });
}

function wedge(r, from, to) {
  const large = to - from > Math.PI ? 1 : 0;
  const at = (a) => `${(r * Math.cos(a)).toFixed(2)},${(r * Math.sin(a)).toFixed(2)}`;
  return `M0,0L${at(from)}A${r},${r} 0 ${large} 1 ${at(to)}Z`;
}

function placeTitle(place) {
  const shape = world.countries.find((c) => c.id === place.country_numeric);
  const name = place.names.join(" / ") || (shape && shape.name) || place.country || "?";
  const where = place.lat === null ? `${name} (${shape ? shape.name : place.country}, no closer place known)` : name;
  const split = [1, 2, 3, 4].filter((q) => place[`quad${q}`]).map((q) => `${place[`quad${q}`]} ${QUADS[q].toLowerCase()}`);
  const count = `${place.events} event${place.events === 1 ? "" : "s"}`;
  return `${where}: ${count} (${split.join(", ")}); click for the newest`;
}

// ---------------------------------------------------------------------------- table
async function loadEvents(id, reset) {
  const params = { ...state.filters, limit: PAGE_SIZE };
  if (!reset) params.cursor = state.nextCursor;
  const page = await api("/api/events", params);
  if (id !== state.requestId) return;
  const body = document.querySelector("#events tbody");
  if (reset) body.replaceChildren();
  for (const event of page.events) body.appendChild(eventRow(event));
  state.nextCursor = page.next_cursor;
  const shown = body.children.length;
  document.getElementById("event-count").textContent = page.total ? `${shown} of ${page.total}` : "";
  document.getElementById("events-empty").hidden = page.total > 0;
  document.getElementById("more").hidden = !page.next_cursor;
}

function eventRow(event) {
  const row = el("tr", { tabindex: 0, "data-event": event.id });
  if (state.selected === event.id) row.classList.add("selected");
  el("td", { class: "date", title: event.date ? `precision: ${event.date_precision || "?"}` : "no date in the text" }, row, event.date || "undated");
  const type = el("td", {}, row, event.event);
  if (event.aux) el("span", { class: "aux" }, type, event.aux);
  el("td", { class: "codes" }, row, codes(event.actor));
  el("td", { class: "codes" }, row, codes(event.recipient));
  const quad = el("td", {}, row);
  if (event.quad_class) el("span", { class: `tag q${event.quad_class}`, title: QUADS[event.quad_class] }, quad, `Q${event.quad_class}`);
  el("td", {}, row, event.score === null ? "—" : event.score.toFixed(1));
  el("td", { class: "title", title: event.document.title || event.doc_id }, row, event.document.title || event.doc_id);
  row.addEventListener("click", () => showEvent(event.id));
  row.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); showEvent(event.id); } });
  return row;
}

// ---------------------------------------------------------------------------- article
async function showEvent(eventId) {
  state.selected = eventId;
  for (const row of document.querySelectorAll("#events tbody tr")) {
    row.classList.toggle("selected", row.dataset.event === eventId);
  }
  const body = document.getElementById("article-body");
  try {
    const event = await api(`/api/events/${encodeURIComponent(eventId)}`);
    const doc = await api(event.links.document);
    if (state.selected !== eventId) return;
    renderArticle(body, doc, event);
  } catch (error) {
    body.replaceChildren();
    el("p", { class: "empty" }, body, `Could not load the article: ${error.message}`);
  }
}

function renderArticle(body, doc, event) {
  body.replaceChildren();
  el("h3", {}, body, doc.title || doc.doc_id);
  const meta = el("p", { class: "article-meta" }, body, `${doc.published || "no date"} · ${doc.doc_id}`);
  if (doc.url) {
    meta.append(" · ");
    el("a", { href: doc.url, rel: "noopener noreferrer", target: "_blank" }, meta, "source");
  }
  const line = el("p", { class: "event-line" }, body);
  line.append(`${codes(event.actor)} → `);
  el("strong", {}, line, event.event);
  line.append(` → ${codes(event.recipient)}`);
  const detail = [event.date || "undated", event.quad_class ? QUADS[event.quad_class] : null,
    event.score !== null ? `score ${event.score.toFixed(1)}` : null, event.aux,
    `confidence ${Math.round(event.confidence * 100)}%`].filter(Boolean);
  line.append(` · ${detail.join(" · ")}`);
  const scroller = el("div", { class: "article-scroll" }, body);
  const text = el("p", { class: "article-text" }, scroller);
  fillMarkedText(text, doc.text, articleMarks(doc, event.evidence));
  // Bring the trigger into view inside the article box only, keeping the headline in sight.
  const trigger = text.querySelector(".hl-trigger");
  if (trigger) scroller.scrollTop = Math.max(0, trigger.offsetTop - scroller.clientHeight / 3);
}

function articleMarks(doc, evidence) {
  const marks = doc.actors.map((m) => ({ start: m.start, end: m.end, cls: "mention", title: `${m.code}${m.name ? " · " + m.name : ""}` }));
  const s = evidence.sentence;
  if (s.start !== null) marks.push({ start: s.start, end: s.end, cls: "hl-sentence" });
  for (const a of evidence.actor) if (a.start !== null) marks.push({ start: a.start, end: a.end, cls: "hl-actor", title: `actor ${a.code}` });
  for (const r of evidence.recipient) if (r.start !== null) marks.push({ start: r.start, end: r.end, cls: "hl-recipient", title: `recipient ${r.code}` });
  const t = evidence.trigger;
  if (t.start !== null) marks.push({ start: t.start, end: t.end, cls: "hl-trigger", title: "trigger" });
  return marks;
}

// Overlapping marks (a sentence holding an actor) become flat runs, each with every class that covers it.
function fillMarkedText(parent, text, marks) {
  const cuts = new Set([0, text.length]);
  for (const m of marks) { cuts.add(m.start); cuts.add(m.end); }
  const points = [...cuts].filter((c) => c >= 0 && c <= text.length).sort((a, b) => a - b);
  for (let i = 0; i < points.length - 1; i++) {
    const [from, to] = [points[i], points[i + 1]];
    const covering = marks.filter((m) => m.start <= from && m.end >= to);
    const piece = text.slice(from, to);
    if (!covering.length) { parent.append(piece); continue; }
    const strong = covering.filter((m) => m.cls.startsWith("hl-") && m.cls !== "hl-sentence");
    const span = el(strong.length ? "mark" : "span", { class: covering.map((m) => m.cls).join(" ") }, parent, piece);
    const titled = covering.filter((m) => m.title).pop();
    if (titled) span.title = titled.title;
  }
}

// ---------------------------------------------------------------------------- start
async function start() {
  renderTimelineLegend();
  renderMapLegend();
  document.getElementById("more").addEventListener("click", () => {
    if (state.nextCursor) loadEvents(state.requestId, false).catch(showError);
  });
  try {
    await Promise.all([setUpFilters(), loadSummary()]);
  } catch (error) {
    showError(error);
    return;
  }
  loadActorChoices();
  await refresh();
  document.body.dataset.ready = "true";
}

function renderMapLegend() {
  const legend = document.getElementById("map-legend");
  for (const [q, label] of Object.entries(QUADS)) {
    const item = el("li", { title: label }, legend);
    el("span", { class: `swatch dot q${q}` }, item);
    item.append(`Q${q}`);
  }
  const item = el("li", { title: "Events whose place is known only as a country, drawn at the country's centre" }, legend);
  el("span", { class: "swatch dot country-only" }, item);
  item.append("country");
}

let resizeTimer = null;
window.addEventListener("resize", () => { clearTimeout(resizeTimer); resizeTimer = setTimeout(refresh, 200); });
document.addEventListener("DOMContentLoaded", start);
