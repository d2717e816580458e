// Maps (issue #18, catalog/maps.py). The page's list of places is the content; this script adds
// two buttons. "Hiện bản đồ" loads the map library (Leaflet, served by this site) and the tiles only
// when tapped: before that the page asks nothing of any other origin. "Gần tôi" asks the browser for
// the visitor's position and sorts the lists by distance, computed here: the position is sent nowhere.
// Everything comes from the page's JSON block (#ocop-map-data): markers, settings and interface text
// (no interface text lives in this file). Data reaches the page only as textContent and attributes.
(function () {
  "use strict";
  var source = document.getElementById("ocop-map-data");
  var view = document.querySelector("[data-ocop-mapview]");
  if (!source || !view) return;
  var data;
  try { data = JSON.parse(source.textContent); } catch (e) { return; }
  var text = data.text;
  var toggle = view.querySelector("[data-ocop-map-toggle]");
  var nearButton = view.querySelector("[data-ocop-near]");
  var box = document.getElementById(toggle.getAttribute("aria-controls"));
  var status = view.querySelector("[data-ocop-map-status]");
  var byKey = {};
  data.points.forEach(function (p) { byKey[p.kind + "/" + p.id] = p; });
  var map = null, loading = false, here = null, position = null;

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, key) { return key in values ? String(values[key]) : whole; });
  }
  function say(message) { status.textContent = message; }

  function load(tag, attributes) {
    return new Promise(function (resolve, reject) {
      var element = document.createElement(tag);
      Object.keys(attributes).forEach(function (name) { element.setAttribute(name, attributes[name]); });
      element.onload = resolve;
      element.onerror = reject;
      document.head.appendChild(element);
    });
  }

  function leaflet() {
    if (window.L && window.L.map) return Promise.resolve(window.L);
    return Promise.all([load("link", { rel: "stylesheet", href: data.leaflet.css }),
                        load("script", { src: data.leaflet.js })]).then(function () { return window.L; });
  }

  function popup(p) {
    var content = document.createElement("div");
    var name = document.createElement("a");
    name.href = p.url;
    name.textContent = p.name;
    name.className = "ocop-popup__name";
    var label = document.createElement("span");
    label.textContent = p.label;
    var address = document.createElement("span");
    address.textContent = p.address;
    [name, label, address].forEach(function (part) { content.appendChild(part); });
    content.className = "ocop-popup";
    return content;
  }

  function showHere(L) {
    if (!map || !position) return;
    if (here) here.remove();
    here = L.circleMarker(position, { radius: 8, weight: 3, color: "#7a4a00", fillColor: "#fff", fillOpacity: 1 })
      .bindTooltip(text.you_are_here).addTo(map);
  }

  function build(L) {
    map = L.map(box, { zoomControl: false, attributionControl: false, maxZoom: data.max_zoom });
    L.control.zoom({ zoomInTitle: text.zoom_in, zoomOutTitle: text.zoom_out }).addTo(map);
    var credit = document.createElement("a");  // the tile source's attribution, as text
    credit.href = data.attribution_url;
    credit.textContent = data.attribution;
    if (data.attribution_lang) credit.lang = data.attribution_lang;
    L.control.attribution({ prefix: false }).addAttribution(credit.outerHTML).addTo(map);
    // "shown" only once a tile has come: a map whose tiles all fail (no network, the tile server
    // down or refusing) says so instead (issue #27). Leaflet's "load" comes when every tile of the
    // view has loaded or failed.
    var tilesLoaded = 0, told = false;
    L.tileLayer(data.tiles, { maxZoom: data.max_zoom, subdomains: data.subdomains })
      .on("tileload", function () {
        tilesLoaded += 1;
        if (!told) { told = true; say(fill(text.shown, { n: data.points.length })); }
      })
      .on("load", function () {
        if (!told && !tilesLoaded) { told = true; say(fill(text.tiles_failed, { n: data.points.length })); }
      })
      .addTo(map);
    var corners = [];
    data.points.forEach(function (p) {
      var name = fill(text.marker, p);
      L.marker([p.lat, p.lon], { title: name, alt: name, keyboard: true }).bindPopup(popup(p)).addTo(map);
      corners.push([p.lat, p.lon]);
    });
    if (data.zoom || corners.length === 1) map.setView(corners[0], data.zoom || data.fit_max_zoom);
    else map.fitBounds(corners, { padding: [24, 24], maxZoom: data.fit_max_zoom });
    showHere(L);
  }

  function setExpanded(open) {
    box.hidden = !open;
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    toggle.textContent = open ? text.hide : text.show;
  }

  toggle.addEventListener("click", function () {
    if (loading) return;
    if (map) {
      setExpanded(box.hidden);
      if (!box.hidden) map.invalidateSize();
      return;
    }
    loading = true;
    say(text.loading);
    box.hidden = false;  // Leaflet measures the box: it must be shown first
    leaflet().then(function (L) {
      build(L);
      setExpanded(true);
    }).catch(function () {
      map = null;
      setExpanded(false);
      say(text.load_failed);
    }).then(function () { loading = false; });
  });

  // --- "Gần tôi" ------------------------------------------------------------------------------------
  function metres(lat1, lon1, lat2, lon2) {  // haversine, on a sphere of the Earth's mean radius
    var rad = Math.PI / 180, dLat = (lat2 - lat1) * rad, dLon = (lon2 - lon1) * rad;
    var a = Math.sin(dLat / 2) * Math.sin(dLat / 2) +
            Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
    return 2 * 6371008.8 * Math.asin(Math.min(1, Math.sqrt(a)));
  }
  function spoken(m) {
    if (m < 1000) return new Intl.NumberFormat("vi-VN").format(Math.max(10, Math.round(m / 10) * 10)) + " m";
    return new Intl.NumberFormat("vi-VN", { maximumFractionDigits: m < 10000 ? 1 : 0 }).format(m / 1000) + " km";
  }

  function sortBy(lat, lon) {
    var nearest = null;
    Array.prototype.forEach.call(document.querySelectorAll("[data-ocop-near-list]"), function (list) {
      var rows = Array.prototype.map.call(list.children, function (item, index) {
        var p = byKey[item.getAttribute("data-ocop-place")];
        return { item: item, index: index, p: p, d: p ? metres(lat, lon, p.lat, p.lon) : Infinity };
      });
      rows.sort(function (a, b) { return a.d === b.d ? a.index - b.index : (a.d < b.d ? -1 : 1); });
      rows.forEach(function (row) {
        list.appendChild(row.item);
        var slot = row.item.querySelector("[data-ocop-distance]");
        if (slot && row.p) { slot.textContent = fill(text.distance, { d: spoken(row.d) }); slot.hidden = false; }
      });
      if (rows.length && rows[0].p && (!nearest || rows[0].d < nearest.d)) nearest = rows[0];
    });
    if (nearest) say(fill(text.sorted, { name: nearest.p.name, d: spoken(nearest.d) }));
  }

  if (nearButton) {
    nearButton.addEventListener("click", function () {
      if (!("geolocation" in navigator)) { say(text.unsupported); return; }
      say(text.locating);
      navigator.geolocation.getCurrentPosition(function (found) {
        position = [found.coords.latitude, found.coords.longitude];
        sortBy(position[0], position[1]);
        if (map && window.L) showHere(window.L);
      }, function (error) {
        say(error && error.code === 1 ? text.denied : text.unavailable);
      }, { enableHighAccuracy: false, timeout: 20000, maximumAge: 300000 });
    });
  }

  view.querySelector("[data-ocop-map-controls]").hidden = false;
})();
