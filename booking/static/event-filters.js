// On a phone the filters of the event list start folded (unless in use), so the events
// come first.
(function () {
  var box = document.getElementById("filters");
  if (box && window.matchMedia("(max-width: 899px)").matches && box.dataset.filtered !== "1") {
    box.open = false;
  }
})();
