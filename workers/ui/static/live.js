// The live page: rows from the dashboard's SSE stream. Text only (textContent), never HTML.
(function () {
  "use strict";
  var table = document.querySelector("table.live");
  var rows = document.getElementById("live-rows");
  var status = document.getElementById("live-status");
  var prefix = table.getAttribute("data-prefix");

  function cell(row, text, href) {
    var td = document.createElement("td");
    if (href) {
      var a = document.createElement("a");
      a.href = href;
      a.textContent = text;
      td.appendChild(a);
    } else {
      td.textContent = text;
    }
    row.appendChild(td);
  }

  function add(kind, data, story, claim, speaker, negated) {
    var row = document.createElement("tr");
    row.className = "live-" + kind;
    cell(row, new Date().toLocaleTimeString());
    cell(row, kind);
    cell(row, story.title || "", story.id ? prefix + "/stories/" + story.id : null);
    cell(row, claim);
    cell(row, speaker || "");
    cell(row, negated ? "negated" : "");
    rows.insertBefore(row, rows.firstChild);
  }

  var source = new EventSource(table.getAttribute("data-events"));
  source.onopen = function () {
    status.textContent = "connected";
    status.setAttribute("data-state", "open");
  };
  source.onerror = function () {
    status.textContent = "reconnecting…";
    status.setAttribute("data-state", "error");
  };
  source.addEventListener("claim", function (e) {
    var c = JSON.parse(e.data);
    add("claim", c, { id: c.story_id, title: c.title }, c.summary, c.speaker, c.negated);
  });
  source.addEventListener("alert", function (e) {
    var p = JSON.parse(e.data);
    var story = p.story || {};
    var claims = (p.claims || []).map(function (c) { return c.summary || ""; }).join("; ");
    add("alert", p, { id: story.id, title: story.title || p.summary }, claims || p.summary || "",
        "", false);
  });
})();
