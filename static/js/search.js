// Search page enhancements. Everything here is optional: without JavaScript the form
// submits normally and the results list is the whole answer.
(function () {
  "use strict";

  var map = null;
  var markerLayer = null;

  function drawMap() {
    var panel = document.getElementById("map-panel");
    var data = document.getElementById("map-markers");
    if (!panel) return;
    var markers = data && window.L ? JSON.parse(data.textContent) : [];
    if (!markers.length) {
      // No map to switch to (no results, or Leaflet did not load): hide the switch the
      // page showed from its first paint.
      panel.hidden = true;
      var noSwitch = document.getElementById("view-switch");
      if (noSwitch) noSwitch.hidden = true;
      return;
    }
    panel.hidden = false;
    var viewSwitch = document.getElementById("view-switch");
    if (viewSwitch) viewSwitch.hidden = false;
    if (!map) {
      var element = document.getElementById("map");
      map = L.map(element, { scrollWheelZoom: false });
      var tiles = element.dataset.tileUrl;
      if (tiles) {
        // Tile servers may ask who embeds them (OpenStreetMap's does): send our origin,
        // never the page address, which holds the place searched for.
        L.tileLayer(tiles, {
          attribution: element.dataset.attribution,
          maxZoom: 18,
          referrerPolicy: "strict-origin",
        }).addTo(map);
      }
      L.control.scale().addTo(map);
      markerLayer = L.layerGroup().addTo(map);
    }
    markerLayer.clearLayers();
    var bounds = [];
    // Pins carry the result's number from the list beside the map. They are pictures,
    // not controls: the numbered list is where a keyboard or screen reader user acts.
    markers.forEach(function (marker, index) {
      var number = String(marker.number);
      var icon = L.divIcon({ className: "map-pin", html: number, iconSize: [26, 26] });
      markerLayer.addLayer(
        L.marker([marker.lat, marker.lng], { icon: icon, interactive: false, keyboard: false })
      );
      bounds.push([marker.lat, marker.lng]);
    });
    map.invalidateSize();
    map.fitBounds(bounds, { padding: [24, 24], maxZoom: 14 });
  }

  function setUpLocationButton() {
    var button = document.getElementById("use-my-location");
    var status = document.getElementById("location-status");
    var input = document.getElementById("id_near");
    if (!button) return;
    // Shown from the first paint (.needs-script), so that revealing it cannot move the page;
    // hidden here in a browser that cannot locate.
    if (!input || !navigator.geolocation) {
      button.hidden = true;
      return;
    }
    // The messages come translated from the page (data-* attributes on the status line).
    button.addEventListener("click", function () {
      status.textContent = status.dataset.finding;
      navigator.geolocation.getCurrentPosition(
        function (position) {
          input.value =
            position.coords.latitude.toFixed(4) + ", " + position.coords.longitude.toFixed(4);
          status.textContent = status.dataset.searching;
          input.form.requestSubmit();
        },
        function () {
          status.textContent = status.dataset.unavailable;
        },
        { timeout: 10000, maximumAge: 600000 }
      );
    });
  }

  function setUpSuggestions() {
    var input = document.getElementById("id_near");
    var list = document.getElementById("place-suggestions");
    if (!input || !list || !window.fetch) return;
    var timer = null;
    var latest = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var text = input.value.trim();
      if (text.length < 2 || /^-?\d+(\.\d+)?\s*[, ]/.test(text)) return;
      timer = setTimeout(function () {
        latest = text;
        fetch(input.dataset.suggestUrl + "?q=" + encodeURIComponent(text), {
          headers: { Accept: "application/json" },
        })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (body) {
            if (text !== latest) return;
            list.replaceChildren.apply(
              list,
              body.results.map(function (place) {
                var option = document.createElement("option");
                option.value = place.label;
                return option;
              })
            );
          })
          .catch(function () {});
      }, 150);
    });
  }

  // The filters are folded so that a phone shows results first; a wide screen has room
  // for them beside the results, so they start open there.
  function unfoldFiltersOnWideScreens() {
    var filters = document.getElementById("search-filters");
    if (filters && window.matchMedia("(min-width: 56rem)").matches) filters.open = true;
  }

  // On a phone the results sit below the form: after an in-place update (a filter change,
  // another page) nothing visible would change, so move focus, and with it the screen, to
  // the status line that says what was found. Wide screens show the results beside the
  // form, and focus stays on the control being changed.
  function revealUpdatedResults(event) {
    if (!event.detail.target || event.detail.target.id !== "search-results") return;
    if (window.matchMedia("(min-width: 56rem)").matches) return;
    var status = document.getElementById("search-status");
    if (!status) return;
    status.focus({ preventScroll: true });
    status.scrollIntoView({ block: "start" });
  }

  document.addEventListener("DOMContentLoaded", function () {
    unfoldFiltersOnWideScreens();
    drawMap();
    setUpLocationButton();
    setUpSuggestions();
  });
  document.addEventListener("htmx:afterSettle", drawMap);
  document.addEventListener("htmx:afterSettle", revealUpdatedResults);
})();
