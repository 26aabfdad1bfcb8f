// Short polling for the trainer's pages: every element with data-source is fetched again
// every few seconds and replaced when the server says it changed (204: unchanged).
// No framework, no network beyond this session's server; without JavaScript the page
// still shows the state it was loaded with (reload to update).
(function () {
  "use strict";
  function poll(element) {
    var seconds = Number(element.getAttribute("data-poll")) || 3;
    var status = document.getElementById(element.getAttribute("data-status"));
    function again() { window.setTimeout(tick, seconds * 1000); }
    function tick() {
      var url = element.getAttribute("data-source") + "?depuis=" + element.getAttribute("data-version");
      fetch(url, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
        var version = response.headers.get("X-Version");
        if (response.status === 200) {
          return response.text().then(function (html) {
            element.innerHTML = html;
            element.setAttribute("data-version", version);
          });
        }
        return null;
      }).then(function () {
        if (status) { status.textContent = "Mis à jour à " + new Date().toLocaleTimeString("fr-FR"); }
      }).catch(function () {
        if (status) { status.textContent = "Connexion au serveur perdue ; nouvel essai dans quelques secondes."; }
      }).then(again);
    }
    again();
  }
  document.querySelectorAll("[data-source]").forEach(poll);
})();
