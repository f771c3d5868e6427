// Copy buttons of the calendar feed box; without JavaScript the URL field stays selectable.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-copy]");
  if (!button) return;
  var input = document.getElementById(button.getAttribute("data-copy"));
  var status = button.closest(".feed-url").querySelector(".copy-status");
  input.select();
  var done = function () { if (status) status.textContent = button.getAttribute("data-copied"); };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(input.value).then(done, function () { document.execCommand("copy"); done(); });
  } else {
    document.execCommand("copy");
    done();
  }
});
