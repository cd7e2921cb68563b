// Maps with the vendored Leaflet, on pages that render templates/includes/map.html (only when the
// site has a tile server). "pick" writes the form's latitude and longitude, "show" shows a point,
// "wall" clusters the filtered issues from a JSON address.
(function () {
  "use strict";

  function base(element) {
    var map = L.map(element, { scrollWheelZoom: false }).setView(
      [parseFloat(element.dataset.lat), parseFloat(element.dataset.lng)], parseInt(element.dataset.zoom, 10)
    );
    L.tileLayer(element.dataset.tiles, { maxZoom: 19, attribution: element.dataset.attribution }).addTo(map);
    return map;
  }

  function point(element) {
    if (!element.dataset.pointLat) return null;
    return [parseFloat(element.dataset.pointLat), parseFloat(element.dataset.pointLng)];
  }

  function pick(element) {
    var form = element.closest("form");
    var latitude = form.querySelector("input[name=latitude]");
    var longitude = form.querySelector("input[name=longitude]");
    var clear = form.querySelector("[data-map-clear]");
    var map = base(element);
    var marker = null;
    function set(latlng) {
      latitude.value = latlng.lat.toFixed(6);
      longitude.value = latlng.lng.toFixed(6);
      if (clear) clear.hidden = false;
    }
    function place(latlng) {
      if (marker) {
        marker.setLatLng(latlng);
      } else {
        marker = L.marker(latlng, { draggable: true, keyboard: true }).addTo(map);
        marker.on("dragend", function () { set(marker.getLatLng()); });
      }
      set(marker.getLatLng());
    }
    var start = point(element);
    if (start) {
      place(L.latLng(start[0], start[1]));
      map.setView(start, 16);
    }
    map.on("click", function (event) { place(event.latlng); });
    if (clear) {
      clear.addEventListener("click", function () {
        if (marker) map.removeLayer(marker);
        marker = null;
        latitude.value = "";
        longitude.value = "";
        clear.hidden = true;
      });
    }
  }

  function show(element) {
    var at = point(element);
    var map = base(element);
    if (at) {
      L.marker(at, { keyboard: false }).addTo(map);
      map.setView(at, 16);
    }
  }

  function wall(element) {
    var map = base(element);
    var status = document.getElementById(element.dataset.status || "map-status");
    fetch(element.dataset.pointsUrl, { headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        var cluster = L.markerClusterGroup();
        data.issues.forEach(function (issue) {
          var link = document.createElement("a");
          link.href = issue.url;
          link.textContent = issue.title;
          cluster.addLayer(L.marker([issue.latitude, issue.longitude], { title: issue.title }).bindPopup(link));
        });
        map.addLayer(cluster);
        if (data.issues.length) map.fitBounds(cluster.getBounds(), { maxZoom: 16, padding: [24, 24] });
        if (status) status.textContent = status.dataset.template.replace("{count}", String(data.issues.length));
        element.dataset.loaded = String(data.issues.length);
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var modes = { pick: pick, show: show, wall: wall };
    document.querySelectorAll("[data-map]").forEach(function (element) {
      modes[element.dataset.map](element);
    });
  });
})();
